package io.seismo.nn;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32;

/** Flat parameter arrays to bytes and back: little-endian IEEE-754 doubles, with a CRC32 to catch corruption. */
public final class WeightsCodec {
    private WeightsCodec() {
    }

    /** The parameters as little-endian doubles. */
    public static byte[] encode(double[] parameters) {
        ByteBuffer buffer = ByteBuffer.allocate(parameters.length * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asDoubleBuffer().put(parameters);
        return buffer.array();
    }

    /** CRC32 of the encoded bytes. */
    public static long checksum(byte[] encoded) {
        CRC32 crc = new CRC32();
        crc.update(encoded);
        return crc.getValue();
    }

    /**
     * Decodes parameters, checking the length against the expected count and the checksum.
     *
     * @throws IllegalArgumentException when the bytes do not hold exactly {@code expectedCount} doubles or the checksum differs
     */
    public static double[] decode(ByteBuffer encoded, int expectedCount, long expectedChecksum) {
        ByteBuffer bytes = encoded.duplicate();
        if (bytes.remaining() != expectedCount * Double.BYTES) {
            throw new IllegalArgumentException("weights hold " + bytes.remaining() + " bytes, expected " + expectedCount
                    + " parameters (" + expectedCount * Double.BYTES + " bytes)");
        }
        byte[] raw = new byte[bytes.remaining()];
        bytes.get(raw);
        long actual = checksum(raw);
        if (actual != expectedChecksum) {
            throw new IllegalArgumentException("weights checksum " + Long.toHexString(actual) + " differs from the release's "
                    + Long.toHexString(expectedChecksum));
        }
        double[] parameters = new double[expectedCount];
        ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(parameters);
        return parameters;
    }
}
