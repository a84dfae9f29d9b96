package dev.mlops.engine.tracking;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.mlops.engine.AtomicFiles;
import dev.mlops.engine.InputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code meta.yaml} files of MLflow's file store. MLflow writes them with PyYAML's {@code safe_dump}
 * (block style, keys sorted); we write the same shape, double-quoting every string so values such as {@code "0"} or
 * {@code "None"} stay strings when PyYAML reads them back.
 */
final class MetaYaml {
    private static final YAMLMapper READER = new YAMLMapper();
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private MetaYaml() {
    }

    static void write(Path file, Map<String, ?> fields) {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, ?> e : new TreeMap<>(fields).entrySet()) {
            out.append(e.getKey()).append(":");
            Object v = e.getValue();
            if (v instanceof Map<?, ?> map) {
                if (map.isEmpty()) {
                    out.append(" {}\n");
                } else {
                    out.append('\n');
                    for (Map.Entry<?, ?> m : new TreeMap<>(map).entrySet()) {
                        out.append("  ").append(scalar(m.getKey())).append(": ").append(scalar(m.getValue())).append('\n');
                    }
                }
            } else if (v instanceof List<?> list) {
                if (list.isEmpty()) {
                    out.append(" []\n");
                } else {
                    out.append('\n');
                    for (Object item : list) {
                        out.append("- ").append(scalar(item)).append('\n');
                    }
                }
            } else {
                out.append(' ').append(scalar(v)).append('\n');
            }
        }
        AtomicFiles.writeString(file, out.toString());
    }

    private static String scalar(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Number || v instanceof Boolean) {
            return v.toString();
        }
        // A JSON string is a valid YAML double-quoted scalar; unlike single quotes it keeps newlines and control characters.
        try {
            return JSON.writeValueAsString(v.toString());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads a meta.yaml; a missing or unreadable file is bad input that names the file. */
    static Map<String, Object> read(Path file) {
        try {
            Map<String, Object> map = READER.readValue(Files.readAllBytes(file), new TypeReference<LinkedHashMap<String, Object>>() {
            });
            if (map == null) {
                throw new InputException(file + ": empty meta.yaml, expected MLflow metadata");
            }
            return map;
        } catch (IOException e) {
            throw new InputException(file + ": cannot read MLflow metadata: " + e.getMessage(), e);
        }
    }

    static String string(Map<String, Object> meta, String key) {
        Object v = meta.get(key);
        return v == null ? null : v.toString();
    }
}
