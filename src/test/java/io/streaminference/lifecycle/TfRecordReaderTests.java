package io.streaminference.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TfRecordReaderTests {

    @Test
    void readsBackWhatTheWriterWrote() throws IOException {
        byte[] file = write("first", "", "third record");
        List<String> read = new ArrayList<>();
        try (TfRecordReader reader = new TfRecordReader(new ByteArrayInputStream(file))) {
            for (byte[] data = reader.next(); data != null; data = reader.next()) {
                read.add(new String(data, StandardCharsets.UTF_8));
            }
        }
        assertThat(read).containsExactly("first", "", "third record");
    }

    @Test
    void refusesAFlippedBitAndATruncatedRecord() throws IOException {
        byte[] file = write("some data here");
        file[18] ^= 4;
        assertThatThrownBy(() -> new TfRecordReader(new ByteArrayInputStream(file)).next())
                .hasMessageContaining("corrupted record at 0: data checksum");
        byte[] whole = write("some data here");
        byte[] truncated = java.util.Arrays.copyOf(whole, whole.length - 3);
        assertThatThrownBy(() -> new TfRecordReader(new ByteArrayInputStream(truncated)).next())
                .hasMessageContaining("truncated record at 0");
    }

    private static byte[] write(String... records) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TfRecordWriter writer = new TfRecordWriter(out)) {
            for (String record : records) {
                writer.write(record.getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toByteArray();
    }
}
