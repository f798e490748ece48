package io.streaminference;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Entry point: wires the preprocess, inference and sink stages and the query API into one service. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class StreamInferenceApplication {

    public static void main(String[] args) {
        SpringApplication.run(StreamInferenceApplication.class, args);
    }
}
