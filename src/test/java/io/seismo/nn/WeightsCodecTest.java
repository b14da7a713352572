package io.seismo.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

class WeightsCodecTest {
    private final NetworkShape shape = new NetworkShape(CellType.LSTM, 1, 6, 2);
    private final Network network = Network.initialise(shape, 21);

    @Test
    void shouldRoundTripShapeAndParametersExactly() {
        byte[] blob = WeightsCodec.encode(network);
        assertEquals(shape, WeightsCodec.shapeOf(ByteBuffer.wrap(blob)));
        assertArrayEquals(network.parameters(), WeightsCodec.decode(ByteBuffer.wrap(blob), shape).parameters());
        assertEquals(4 + 2 + 1 + 4 + 16 + shape.parameterCount() * 8 + 4, blob.length);
    }

    @Test
    void shouldRefuseABlobOfAnotherShape() {
        byte[] blob = WeightsCodec.encode(network);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WeightsCodec.decode(ByteBuffer.wrap(blob), new NetworkShape(CellType.LSTM, 1, 6, 1)));
        assertEquals("weights are for lstm 1x6 (2 layers) but lstm 1x6 (1 layer) is expected", e.getMessage());
    }

    @Test
    void shouldRefuseAnyFlippedBit() {
        byte[] blob = WeightsCodec.encode(network);
        for (int i = 7; i < blob.length; i += 37) {
            byte[] corrupt = blob.clone();
            corrupt[i] ^= 0x10;
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> WeightsCodec.decode(ByteBuffer.wrap(corrupt), shape), "byte " + i);
            assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
        }
    }

    @Test
    void shouldRefuseForeignBytesAndUnknownVersions() {
        assertThrows(IllegalArgumentException.class, () -> WeightsCodec.decode(ByteBuffer.wrap(new byte[64]), shape));
        assertThrows(IllegalArgumentException.class, () -> WeightsCodec.decode(ByteBuffer.wrap(new byte[3]), shape));
        byte[] blob = WeightsCodec.encode(network);
        blob[4] = 9;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WeightsCodec.decode(ByteBuffer.wrap(blob), shape));
        assertTrue(e.getMessage().contains("version 9"), e.getMessage());
    }

    @Test
    void shouldReadABlobAtANonZeroBufferPosition() {
        byte[] blob = WeightsCodec.encode(network);
        ByteBuffer padded = ByteBuffer.allocate(blob.length + 10);
        padded.position(10);
        padded.put(blob);
        padded.position(10);
        assertArrayEquals(network.parameters(), WeightsCodec.decode(padded, shape).parameters());
    }

    @Test
    void shouldRefuseACellIdLongerThanTheBlobEvenWithAValidChecksum() {
        byte[] blob = WeightsCodec.encode(network);
        blob[6] = (byte) 250;
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(blob, 0, blob.length - 4);
        ByteBuffer.wrap(blob).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(blob.length - 4, (int) crc.getValue());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WeightsCodec.decode(ByteBuffer.wrap(blob), shape));
        assertTrue(e.getMessage().contains("cell id of 250 bytes"), e.getMessage());
        // A blob cut anywhere is refused with an IllegalArgumentException, never a buffer underflow.
        byte[] whole = WeightsCodec.encode(network);
        for (int cut = 0; cut < whole.length; cut++) {
            byte[] part = java.util.Arrays.copyOf(whole, cut);
            assertThrows(IllegalArgumentException.class, () -> WeightsCodec.decode(ByteBuffer.wrap(part), shape), "cut at " + cut);
        }
    }
}
