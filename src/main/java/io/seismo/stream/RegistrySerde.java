package io.seismo.stream;

import java.io.IOException;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import com.microsoft.kiota.ApiException;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.seismo.config.SeismoConfig;
import io.seismo.input.ReadingCheck;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Avro in the Confluent wire format (magic byte 0, the schema's 4-byte id, the binary body) for one generated record type,
 * through Apicurio Registry's Kafka serde: the writer registers its schema under the subject {@code <topic>-value}, the
 * reader fetches the writer's schema by id and resolves it into the generated class. Any client that speaks this format
 * (Confluent's {@code KafkaAvroSerializer}/{@code KafkaAvroDeserializer} against the registry's ccompat API included)
 * reads what this writes and writes what this reads.
 *
 * <p>The Apicurio clients are made on first use, so building a topology contacts no registry. Thread-safe.
 */
public final class RegistrySerde<T extends SpecificRecord> implements Serde<T> {
    /** The first byte of every record in the Confluent wire format. */
    public static final byte MAGIC_BYTE = 0;
    /** Magic byte plus the 4-byte schema id. */
    public static final int HEADER_BYTES = 5;

    private final Class<T> type;
    private final Map<String, Object> settings;
    private volatile AvroKafkaSerializer<T> serializer;
    private volatile AvroKafkaDeserializer<T> deserializer;

    public RegistrySerde(Class<T> type, SeismoConfig.Formats formats) {
        this.type = type;
        this.settings = settings(formats);
    }

    /** Apicurio serde settings for the Confluent wire format against the configured registry. */
    static Map<String, Object> settings(SeismoConfig.Formats formats) {
        return Map.of(
                "apicurio.registry.url", formats.registryApiUrl(),
                "apicurio.registry.auto-register", "true",
                // 4-byte ids, as Confluent's serdes write them; content ids are what ccompat's /schemas/ids/{id} serves
                "apicurio.registry.id-handler", "io.apicurio.registry.serde.Default4ByteIdHandler",
                "apicurio.registry.use-id", "contentId",
                // the id goes in the value, not in record headers
                "apicurio.registry.headers.enabled", "false",
                // decode into the generated classes, resolving the writer's schema into the class's own
                "apicurio.registry.use-specific-avro-reader", "true");
    }

    /** The schema id a record in the Confluent wire format carries. */
    public static int schemaId(byte[] bytes) {
        if (bytes == null || bytes.length < HEADER_BYTES || bytes[0] != MAGIC_BYTE) {
            throw new SerializationException("not in the Confluent wire format (magic byte 0 and a 4-byte schema id)");
        }
        return ((bytes[1] & 0xff) << 24) | ((bytes[2] & 0xff) << 16) | ((bytes[3] & 0xff) << 8) | (bytes[4] & 0xff);
    }

    /** Encodes a record, registering its schema under {@code <topic>-value} when the registry does not have it yet. */
    public byte[] encode(String topic, T record) {
        return apicurioSerializer().serialize(topic, record);
    }

    /**
     * Decodes a record of this type. Bytes that are not a record of this type throw SerializationException, with an
     * {@link UnknownSchemaException} as cause when the registry has no schema of that id; a registry that cannot be reached
     * throws {@link RegistryUnavailableException} (the record is then neither decodable nor undecodable).
     */
    public T decode(String topic, byte[] bytes) {
        int id = schemaId(bytes);
        Object decoded;
        try {
            decoded = apicurioDeserializer().deserialize(topic, bytes);
        } catch (RuntimeException e) {
            Integer status = httpStatus(e);
            if (status != null && status == 404) {
                throw new SerializationException("schema id " + id + " is not in the registry", new UnknownSchemaException(id, e));
            }
            if (status != null || unreachable(e)) {
                throw new RegistryUnavailableException("schema registry " + settings.get("apicurio.registry.url")
                        + " did not serve schema id " + id + ": " + e, e);
            }
            throw new SerializationException("not a valid Avro record of schema id " + id + ": " + e, e);
        }
        if (!type.isInstance(decoded)) {
            throw new SerializationException("schema id " + id + " is not a " + type.getSimpleName() + " but "
                    + (decoded == null ? "null" : decoded.getClass().getSimpleName()));
        }
        return type.cast(decoded);
    }

    /** The HTTP status of a registry answer along {@code e}'s causes, or null when the registry did not answer. */
    private static Integer httpStatus(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ApiException api && api.getResponseStatusCode() > 0) {
                return api.getResponseStatusCode();
            }
        }
        return null;
    }

    private static boolean unreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.net.SocketException || t instanceof UnknownHostException || t instanceof TimeoutException
                    || t instanceof java.net.http.HttpTimeoutException
                    || (t instanceof IOException && t.getClass().getName().startsWith("io.netty"))
                    || t.getClass().getName().startsWith("io.vertx.core.http.impl.NoStackTraceTimeoutException")) {
                return true;
            }
        }
        return false;
    }

    private AvroKafkaSerializer<T> apicurioSerializer() {
        AvroKafkaSerializer<T> s = serializer;
        if (s == null) {
            synchronized (this) {
                if (serializer == null) {
                    AvroKafkaSerializer<T> made = new AvroKafkaSerializer<>();
                    made.configure(settings, false);
                    serializer = made;
                }
                s = serializer;
            }
        }
        return s;
    }

    private AvroKafkaDeserializer<T> apicurioDeserializer() {
        AvroKafkaDeserializer<T> d = deserializer;
        if (d == null) {
            synchronized (this) {
                if (deserializer == null) {
                    AvroKafkaDeserializer<T> made = new AvroKafkaDeserializer<>();
                    made.configure(settings, false);
                    deserializer = made;
                }
                d = deserializer;
            }
        }
        return d;
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, data) -> data == null ? null : encode(topic, data);
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, data) -> data == null ? null : decode(topic, data);
    }

    /** Closes the registry clients made so far. */
    @Override
    public synchronized void close() {
        if (serializer != null) {
            serializer.close();
            serializer = null;
        }
        if (deserializer != null) {
            deserializer.close();
            deserializer = null;
        }
    }

    /** The registry has no schema of the id a record carries. */
    public static final class UnknownSchemaException extends KafkaException implements ReadingCheck.UnknownSchema {
        public UnknownSchemaException(int id, Throwable cause) {
            super("unknown schema id " + id, cause);
        }
    }

    /** The registry could not be asked: the record cannot be judged, so the caller must not dead-letter it. */
    public static final class RegistryUnavailableException extends KafkaException {
        public RegistryUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
