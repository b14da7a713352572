# Seismo image: build the jar first (./seismo --help or mvn -DskipTests package), then docker build -t seismo .
# The HTTP API, /healthz, /readyz and Prometheus /metrics listen on port 8080 (http.port). The server binds to
# 127.0.0.1 unless told otherwise, so to reach it through a published port run with SEISMO_HTTP_HOST=0.0.0.0, e.g.
#   docker run -p 8080:8080 -e SEISMO_HTTP_HOST=0.0.0.0 -e SEISMO_BOOTSTRAP_SERVERS=broker:9092 seismo
# (docker-compose.yml does). The API has no authentication: publish it only where that is acceptable.
FROM eclipse-temurin:17-jre
# curl for the container healthcheck on /readyz.
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
WORKDIR /opt/seismo
COPY target/seismo.jar /opt/seismo/seismo.jar
COPY config/ /opt/seismo/config/
ENV JAVA_TOOL_OPTIONS="-Xmx1g -Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.seismo.schema,java.lang,java.util,java.math,java.time"
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/opt/seismo/seismo.jar"]
CMD ["run", "--role", "all"]
