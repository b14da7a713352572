package io.seismo.nn;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.zip.CRC32;

/**
 * A network's weights as a self-describing, versioned binary blob, so a blob can never be read into a network of
 * another shape. Layout (little-endian):
 * <pre>
 *   4 bytes  magic "SNNW"
 *   2 bytes  format version (1)
 *   1 byte   length L of the cell id, then L bytes of ASCII cell id (e.g. "lstm")
 *   4 bytes  inputs per step, 4 bytes hidden units, 4 bytes layers
 *   4 bytes  parameter count N
 *   N x 8    parameters (IEEE-754 doubles) in the network's documented layout
 *   4 bytes  CRC32 of everything before it
 * </pre>
 */
public final class WeightsCodec {
    /** Current format version. */
    public static final int FORMAT_VERSION = 1;
    private static final byte[] MAGIC = {'S', 'N', 'N', 'W'};
    /** Longest cell id a blob may declare. */
    private static final int MAX_CELL_ID = 32;

    private WeightsCodec() {
    }

    /** Encodes a network's shape and parameters. */
    public static byte[] encode(Network network) {
        NetworkShape shape = network.shape();
        double[] parameters = network.parameters();
        byte[] cell = shape.cell().id().getBytes(StandardCharsets.US_ASCII);
        int size = MAGIC.length + 2 + 1 + cell.length + 4 * 4 + parameters.length * Double.BYTES + 4;
        ByteBuffer out = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).putShort((short) FORMAT_VERSION).put((byte) cell.length).put(cell);
        out.putInt(shape.inputSize()).putInt(shape.hiddenSize()).putInt(shape.layers()).putInt(parameters.length);
        for (double p : parameters) {
            out.putDouble(p);
        }
        CRC32 crc = new CRC32();
        crc.update(out.array(), 0, out.position());
        out.putInt((int) crc.getValue());
        return out.array();
    }

    /** The shape a blob declares, after checking its magic, version and checksum. */
    public static NetworkShape shapeOf(ByteBuffer encoded) {
        return read(encoded, false).shape;
    }

    /**
     * Decodes a blob into a network, refusing it unless it declares exactly the expected shape.
     *
     * @throws IllegalArgumentException with a readable reason: not a weights blob, unknown version, corrupt (checksum),
     *                                  or a shape or cell other than {@code expected}
     */
    public static Network decode(ByteBuffer encoded, NetworkShape expected) {
        Decoded d = read(encoded, true);
        if (!d.shape.equals(expected)) {
            throw new IllegalArgumentException("weights are for " + describe(d.shape) + " but " + describe(expected) + " is expected");
        }
        return Network.fromParameters(d.shape, d.parameters);
    }

    /** e.g. "lstm 1x32 (1 layer)". */
    public static String describe(NetworkShape shape) {
        return String.format(Locale.ROOT, "%s %dx%d (%d layer%s)", shape.cell().id(), shape.inputSize(), shape.hiddenSize(),
                shape.layers(), shape.layers() == 1 ? "" : "s");
    }

    private record Decoded(NetworkShape shape, double[] parameters) {
    }

    private static Decoded read(ByteBuffer encoded, boolean withParameters) {
        try {
            return readChecked(encoded, withParameters);
        } catch (java.nio.BufferUnderflowException | IndexOutOfBoundsException e) {
            // Every length is checked before it is used; this only turns a check that was missed into a refusal.
            throw new IllegalArgumentException("weights blob is malformed: " + e, e);
        }
    }

    private static Decoded readChecked(ByteBuffer encoded, boolean withParameters) {
        ByteBuffer in = encoded.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int start = in.position();
        int length = in.remaining();
        if (length < MAGIC.length + 2 + 1 + 16 + 4) {
            throw new IllegalArgumentException("weights blob is too short (" + length + " bytes)");
        }
        for (byte m : MAGIC) {
            if (in.get() != m) {
                throw new IllegalArgumentException("not a Seismo weights blob (bad magic)");
            }
        }
        int version = Short.toUnsignedInt(in.getShort());
        if (version != FORMAT_VERSION) {
            throw new IllegalArgumentException("weights format version " + version + " is not supported (this build reads "
                    + FORMAT_VERSION + ")");
        }
        byte[] whole = new byte[length];
        encoded.duplicate().get(whole);
        CRC32 crc = new CRC32();
        crc.update(whole, 0, length - 4);
        int stored = ByteBuffer.wrap(whole, length - 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        if (stored != (int) crc.getValue()) {
            throw new IllegalArgumentException("weights blob is corrupt (checksum mismatch)");
        }
        int cellLength = Byte.toUnsignedInt(in.get());
        // The cell id, four ints and the checksum must still fit: a crafted length must not read past the blob. Cell ids
        // are short, lower-case words; anything else is refused without echoing the bytes into a log.
        if (cellLength > MAX_CELL_ID || cellLength > in.remaining() - 4 * 4 - 4) {
            throw new IllegalArgumentException("weights blob declares a cell id of " + cellLength + " bytes in " + length + " bytes");
        }
        byte[] cell = new byte[cellLength];
        in.get(cell);
        for (byte c : cell) {
            if (!(c >= 'a' && c <= 'z' || c == '-')) {
                throw new IllegalArgumentException("weights blob declares a cell id that is not a lower-case word");
            }
        }
        CellType type = CellType.parse(new String(cell, StandardCharsets.US_ASCII));
        NetworkShape shape = new NetworkShape(type, in.getInt(), in.getInt(), in.getInt());
        int count = in.getInt();
        if (count != shape.parameterCount() || in.position() - start + (long) count * Double.BYTES + 4 != length) {
            throw new IllegalArgumentException("weights blob holds " + count + " parameters in " + length + " bytes, but "
                    + describe(shape) + " has " + shape.parameterCount());
        }
        if (!withParameters) {
            return new Decoded(shape, null);
        }
        double[] parameters = new double[count];
        for (int i = 0; i < count; i++) {
            parameters[i] = in.getDouble();
        }
        return new Decoded(shape, parameters);
    }
}
