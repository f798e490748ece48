package io.streaminference.lifecycle;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * Writes TFRecord files, the framing tf.data's {@code TFRecordDataset} reads: per record the data's length as a
 * little-endian uint64, the masked CRC-32C of those 8 bytes, the data, and the masked CRC-32C of the data (both
 * little-endian uint32). The mask is TensorFlow's: rotate right by 15 and add 0xa282ead8.
 */
public final class TfRecordWriter implements AutoCloseable {

    private static final int MASK_DELTA = 0xa282ead8;

    private final OutputStream out;
    private long records;

    public TfRecordWriter(OutputStream out) {
        this.out = out;
    }

    public void write(byte[] data) throws IOException {
        byte[] length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(data.length).array();
        out.write(length);
        out.write(littleEndian(maskedCrc(length)));
        out.write(data);
        out.write(littleEndian(maskedCrc(data)));
        records++;
    }

    long records() {
        return records;
    }

    static int maskedCrc(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        int value = (int) crc.getValue();
        return ((value >>> 15) | (value << 17)) + MASK_DELTA;
    }

    private static byte[] littleEndian(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
