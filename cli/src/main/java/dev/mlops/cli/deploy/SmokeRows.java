package dev.mlops.cli.deploy;

import dev.mlops.engine.InputException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads smoke-test samples: one row per line, comma-separated features then the expected label in the last column.
 * Blank lines and lines starting with '#' are skipped; a first line that is not numeric is taken as a header.
 */
final class SmokeRows {
    final List<List<Double>> rows = new ArrayList<>();
    final List<String> expected = new ArrayList<>();

    static SmokeRows read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InputException("smoke samples " + file + ": cannot read (" + e.getMessage() + ")");
        }
        SmokeRows out = new SmokeRows();
        int width = -1;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] cells = line.split(",", -1);
            if (cells.length < 2) {
                throw new InputException("smoke samples " + file + " line " + (i + 1)
                        + ": expected features then a label, separated by commas");
            }
            List<Double> row = new ArrayList<>();
            try {
                for (int c = 0; c < cells.length - 1; c++) {
                    row.add(Double.parseDouble(cells[c].trim()));
                }
            } catch (NumberFormatException e) {
                if (out.rows.isEmpty() && width < 0) {
                    width = cells.length; // a header line
                    continue;
                }
                throw new InputException("smoke samples " + file + " line " + (i + 1) + ": feature values must be numbers");
            }
            if (width >= 0 && cells.length != width) {
                throw new InputException("smoke samples " + file + " line " + (i + 1) + ": " + cells.length
                        + " columns, expected " + width);
            }
            width = cells.length;
            out.rows.add(row);
            out.expected.add(cells[cells.length - 1].trim());
        }
        if (out.rows.isEmpty()) {
            throw new InputException("smoke samples " + file + ": no rows");
        }
        return out;
    }
}
