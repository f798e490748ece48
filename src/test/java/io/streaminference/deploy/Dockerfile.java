package io.streaminference.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A Dockerfile read as Docker reads it — instructions with their arguments, line continuations joined, comments and
 * parser directives dropped — so that tests check what the file does, not how its lines are spelled.
 */
final class Dockerfile {

    /** One instruction: {@code keyword} upper case, {@code arguments} as written after it. */
    record Instruction(String keyword, String arguments) {

        List<String> words() {
            return List.of(arguments.trim().split("\\s+"));
        }
    }

    /** One build stage: its base image, optional name, and its instructions after FROM. */
    record Stage(String image, String tag, String name, List<Instruction> instructions) {

        List<Instruction> all(String keyword) {
            return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
        }

        String text(String keyword) {
            return String.join("\n", all(keyword).stream().map(Instruction::arguments).toList());
        }
    }

    private Dockerfile() {
    }

    static List<Stage> stages(Path file) {
        List<Stage> stages = new ArrayList<>();
        for (Instruction instruction : instructions(read(file))) {
            if (instruction.keyword().equals("FROM")) {
                List<String> words = instruction.words();
                String reference = words.get(0);
                int colon = reference.lastIndexOf(':');
                String name = words.size() >= 3 && words.get(1).equalsIgnoreCase("AS") ? words.get(2) : null;
                stages.add(new Stage(colon < 0 ? reference : reference.substring(0, colon),
                        colon < 0 ? "latest" : reference.substring(colon + 1), name, new ArrayList<>()));
            } else if (!stages.isEmpty()) {
                stages.get(stages.size() - 1).instructions().add(instruction);
            }
        }
        return stages;
    }

    static List<Instruction> instructions(String text) {
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder logical = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            String trimmed = line.strip();
            if (logical.isEmpty() && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
                continue; // comments and directives (# syntax=...) outside an instruction
            }
            if (!logical.isEmpty() && trimmed.startsWith("#")) {
                continue; // a comment line inside a continued instruction
            }
            if (trimmed.endsWith("\\")) {
                logical.append(trimmed.substring(0, trimmed.length() - 1).strip()).append(' ');
                continue;
            }
            logical.append(trimmed);
            String instruction = logical.toString().strip();
            logical.setLength(0);
            if (instruction.isEmpty()) {
                continue;
            }
            int space = instruction.indexOf(' ');
            instructions.add(new Instruction(instruction.substring(0, space < 0 ? instruction.length() : space)
                    .toUpperCase(Locale.ROOT), space < 0 ? "" : instruction.substring(space + 1).strip()));
        }
        return instructions;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
