# Seismo image: build the jar first (./seismo --help or mvn -DskipTests package), then docker build -t seismo .
FROM eclipse-temurin:17-jre
WORKDIR /opt/seismo
COPY target/seismo.jar /opt/seismo/seismo.jar
COPY config/ /opt/seismo/config/
ENV JAVA_TOOL_OPTIONS="-Xmx1g -Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.seismo.schema,java.lang,java.util,java.math,java.time"
ENTRYPOINT ["java", "-jar", "/opt/seismo/seismo.jar"]
CMD ["run", "--role", "all"]
