package io.seismo.stream;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Avro single-object encoding (header C3 01, 8-byte schema fingerprint, binary body) for one generated record type.
 * A reader decodes any writer schema it knows by fingerprint into its own schema, so fields added with defaults evolve safely.
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {
    private final BinaryMessageEncoder<T> encoder;
    private final BinaryMessageDecoder<T> decoder;

    public AvroSerde(BinaryMessageEncoder<T> encoder, BinaryMessageDecoder<T> decoder) {
        this.encoder = encoder;
        this.decoder = decoder;
    }

    /** Encodes a record; never returns null for a non-null record. */
    public byte[] encode(T record) {
        try {
            ByteBuffer buffer = encoder.encode(record);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Decodes bytes; throws SerializationException with the cause for anything that is not exactly one valid record of a
     * known schema (bytes left over after the record count as invalid: they are not what the writer wrote).
     */
    public T decode(byte[] bytes) {
        ByteArrayInputStream in = new ByteArrayInputStream(bytes);
        T record;
        try {
            // The stream decoder reads no further than the record, so what is left in the stream was appended to it.
            record = decoder.decode(in, null);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("not a valid Avro single-object record: " + describe(e), e);
        }
        if (in.available() > 0) {
            throw new SerializationException("not a valid Avro single-object record: " + in.available() + " bytes after the end of the "
                    + bytes.length + "-byte record");
        }
        return record;
    }

    /** The exception and, when it wraps another, the root cause (Avro's "Decoding datum failed" says little alone). */
    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return describeOne(e) + (root == e ? "" : " (" + describeOne(root) + ")");
    }

    private static String describeOne(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, data) -> data == null ? null : encode(data);
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, data) -> data == null ? null : decode(data);
    }
}
