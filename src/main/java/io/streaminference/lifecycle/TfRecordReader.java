package io.streaminference.lifecycle;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads the records of a TFRecord file ({@link TfRecordWriter}'s framing), checking both masked CRC-32Cs as
 * TensorFlow's reader does: a record whose length or data does not match its checksum is refused, never returned.
 */
public final class TfRecordReader implements AutoCloseable {

    private final DataInputStream in;
    private long offset;

    public TfRecordReader(InputStream in) {
        this.in = new DataInputStream(in);
    }

    /** @return the next record's data, or null at the end of the file */
    public byte[] next() throws IOException {
        byte[] length = new byte[8];
        int first = in.read();
        if (first < 0) {
            return null;
        }
        length[0] = (byte) first;
        try {
            in.readFully(length, 1, 7);
            int lengthCrc = readInt();
            if (lengthCrc != TfRecordWriter.maskedCrc(length)) {
                throw new IOException("corrupted record at " + offset + ": length checksum");
            }
            long size = ByteBuffer.wrap(length).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (size < 0 || size > Integer.MAX_VALUE - 8) {
                throw new IOException("corrupted record at " + offset + ": length " + size);
            }
            byte[] data = new byte[(int) size];
            in.readFully(data);
            if (readInt() != TfRecordWriter.maskedCrc(data)) {
                throw new IOException("corrupted record at " + offset + ": data checksum");
            }
            offset += 16 + size;
            return data;
        } catch (EOFException e) {
            throw new IOException("truncated record at " + offset, e);
        }
    }

    private int readInt() throws IOException {
        byte[] bytes = new byte[4];
        in.readFully(bytes);
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
