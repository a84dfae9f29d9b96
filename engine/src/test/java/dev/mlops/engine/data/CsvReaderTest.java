package dev.mlops.engine.data;

import dev.mlops.engine.InputException;
import dev.mlops.engine.Log;
import dev.mlops.engine.spec.ColumnSchema;
import dev.mlops.engine.spec.ColumnType;
import dev.mlops.engine.spec.NonNumeric;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CsvReaderTest {
    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, content.getBytes(StandardCharsets.UTF_8));
        return p;
    }

    private Table read(String content) throws IOException {
        return CsvReader.read(write("data.csv", content), Map.of(), Log.NONE);
    }

    private static ColumnSchema numeric() {
        return new ColumnSchema(ColumnType.NUMERIC, null, null, null, null);
    }

    private static ColumnSchema categorical() {
        return new ColumnSchema(ColumnType.CATEGORICAL, null, null, null, null);
    }

    // ---- bad input ----

    @Test
    void aFifoIsRefusedInsteadOfReadForever() throws Exception {
        Path fifo = dev.mlops.engine.testing.Fifos.make(dir.resolve("data.csv"));
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(20), () ->
                assertThatThrownBy(() -> CsvReader.read(fifo, Map.of(), Log.NONE)).isInstanceOf(InputException.class)
                        .hasMessage(fifo + ": is not a regular file (a pipe, device or socket); expected a CSV file"));
    }

    @Test
    void missingFileNamesTheFile() {
        Path p = dir.resolve("nope.csv");
        assertThatThrownBy(() -> CsvReader.read(p, Map.of(), Log.NONE))
                .isInstanceOf(InputException.class).hasMessageContaining("nope.csv").hasMessageContaining("not found");
    }

    @Test
    void emptyFile() throws IOException {
        Path p = write("empty.csv", "");
        assertThatThrownBy(() -> CsvReader.read(p, Map.of(), Log.NONE))
                .isInstanceOf(InputException.class).hasMessageContaining("empty.csv").hasMessageContaining("empty");
    }

    @Test
    void fileWithOnlyBlankLinesIsEmpty() throws IOException {
        Path p = write("blank.csv", "\n\r\n\n");
        assertThatThrownBy(() -> CsvReader.read(p, Map.of(), Log.NONE))
                .isInstanceOf(InputException.class).hasMessageContaining("blank.csv").hasMessageContaining("empty");
    }

    @Test
    void headerOnly() throws IOException {
        Path p = write("header.csv", "a,b,c\n");
        assertThatThrownBy(() -> CsvReader.read(p, Map.of(), Log.NONE))
                .isInstanceOf(InputException.class).hasMessageContaining("header.csv")
                .hasMessageContaining("no data rows");
    }

    @Test
    void duplicateHeaderName() throws IOException {
        Path p = write("dup.csv", "a,b,a\n1,2,3\n");
        assertThatThrownBy(() -> CsvReader.read(p, Map.of(), Log.NONE))
                .isInstanceOf(InputException.class).hasMessageContaining("dup.csv").hasMessageContaining("line 1")
                .hasMessageContaining("'a' appears twice").hasMessageContaining("fields 1 and 3");
    }

    @Test
    void emptyHeaderName() throws IOException {
        Path p = write("noname.csv", "a,,c\n1,2,3\n");
        assertThatThrownBy(() -> CsvReader.read(p, Map.of(), Log.NONE))
                .isInstanceOf(InputException.class).hasMessageContaining("noname.csv").hasMessageContaining("line 1")
                .hasMessageContaining("header field 2 is empty");
    }

    @Test
    void raggedRowNamesLineAndCounts() throws IOException {
        StringBuilder sb = new StringBuilder("a,b,c\n");
        for (int i = 0; i < 15; i++) {
            sb.append("1,2,3\n");
        }
        sb.append("1,2\n");
        Path p = write("ragged.csv", sb.toString());
        assertThatThrownBy(() -> CsvReader.read(p, Map.of(), Log.NONE))
                .isInstanceOf(InputException.class)
                .hasMessage(p + ": line 17 has 2 fields, header has 3");
    }

    @Test
    void tooManyFieldsIsRaggedToo() throws IOException {
        Path p = write("wide.csv", "a,b\n1,2\n1,2,3\n");
        assertThatThrownBy(() -> CsvReader.read(p, Map.of(), Log.NONE))
                .hasMessageContaining("wide.csv: line 3 has 3 fields, header has 2");
    }

    @Test
    void lineNumbersCountLinesInsideQuotedFieldsAndBlankLines() throws IOException {
        // Line 2 holds a field spanning lines 2-3; line 4 is blank; the short row is on line 5.
        Path p = write("lines.csv", "a,b\n\"x\ny\",1\n\n1\n");
        assertThatThrownBy(() -> CsvReader.read(p, Map.of(), Log.NONE))
                .hasMessageContaining("line 5 has 1 field, header has 2");
    }

    @Test
    void nonNumericValueInDeclaredNumericColumn() throws IOException {
        Path p = write("bad.csv", "id,mean_radius\n1,2.5\n2,abc\n");
        assertThatThrownBy(() -> CsvReader.read(p, Map.of("mean_radius", numeric()), Log.NONE))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith(p + ": line 3, column 'mean_radius': 'abc' is not a number");
    }

    @Test
    void nonFiniteLiteralsAreRejectedInDeclaredAndInferredNumericColumns() throws IOException {
        for (String literal : new String[] {"NaN", "nan", "Infinity", "-Inf", "INF", "1e999"}) {
            Path p = write("nf.csv", "x,y\n1,2\n3," + literal + "\n5,6\n");
            assertThatThrownBy(() -> CsvReader.read(p, Map.of(), Log.NONE)).as(literal)
                    .isInstanceOf(InputException.class)
                    .hasMessageContaining("nf.csv: line 3, column 'y': '" + literal + "' is not a finite number");
            assertThatThrownBy(() -> CsvReader.read(p, Map.of("y", numeric()), Log.NONE)).as(literal)
                    .hasMessageContaining("line 3, column 'y': '" + literal + "' is not a finite number");
        }
    }

    @Test
    void nanWordInATextColumnIsJustText() throws IOException {
        Table t = read("x\nNaN\nabc\n");
        assertThat(t.column("x")).isInstanceOf(CategoricalColumn.class);
        assertThat(t.column("x").text(0)).isEqualTo("NaN");
    }

    @Test
    void unclosedQuote() throws IOException {
        Path p = write("open.csv", "a,b\n1,\"abc\n2,3\n");
        assertThatThrownBy(() -> CsvReader.read(p, Map.of(), Log.NONE))
                .isInstanceOf(InputException.class).hasMessageContaining("open.csv: line 2")
                .hasMessageContaining("not closed");
    }

    @Test
    void textAfterClosingQuote() throws IOException {
        Path p = write("after.csv", "a,b\n1,\"ab\"c\n");
        assertThatThrownBy(() -> CsvReader.read(p, Map.of(), Log.NONE))
                .isInstanceOf(InputException.class).hasMessageContaining("after.csv: line 2, field 2")
                .hasMessageContaining("closing quote");
    }

    @Test
    void invalidUtf8() throws IOException {
        Path p = dir.resolve("latin1.csv");
        Files.write(p, new byte[] {'a', '\n', 'c', 'a', 'f', (byte) 0xE9, '\n'});
        assertThatThrownBy(() -> CsvReader.read(p, Map.of(), Log.NONE))
                .isInstanceOf(InputException.class).hasMessageContaining("latin1.csv: line 2, column 'a'")
                .hasMessageContaining("UTF-8");
    }

    @Test
    void invalidUtf8InANumberLookingColumnNamesLineAndColumn() throws IOException {
        Path p = dir.resolve("bad.csv");
        Files.write(p, new byte[] {'a', ',', 'b', '\n', '1', ',', '2', '\n', '3', ',', (byte) 0xFF, '\n'});
        assertThatThrownBy(() -> CsvReader.read(p, Map.of(), Log.NONE))
                .isInstanceOf(InputException.class).hasMessageContaining("bad.csv: line 3, column 'b'")
                .hasMessageContaining("UTF-8");
    }

    @Test
    void aReplacementCharacterWrittenInTheFileIsJustText() throws IOException {
        Table t = read("a\n\uFFFD\nx\n");
        assertThat(t.column("a").text(0)).isEqualTo("\uFFFD");
    }

    @Test
    void multiByteCharactersAcrossTheDecodingBufferSurvive() throws IOException {
        StringBuilder sb = new StringBuilder("a,b\n");
        for (int i = 0; i < 30_000; i++) {
            sb.append(i).append(i % 7 == 0 ? ",Zürich東京\n" : ",x\n");
        }
        Table t = read(sb.toString());
        for (int i = 0; i < 30_000; i++) {
            assertThat(t.column("b").text(i)).isEqualTo(i % 7 == 0 ? "Zürich東京" : "x");
        }
    }

    // ---- quoting and encoding ----

    @Test
    void quotedFieldsWithCommasNewlinesAndDoubledQuotes() throws IOException {
        Table t = read("name,note,n\n\"Smith, J\",\"said \"\"hi\"\"\nthen left\",\"3.5\"\nplain,,4\n");
        assertThat(t.rowCount()).isEqualTo(2);
        assertThat(t.column("name").text(0)).isEqualTo("Smith, J");
        assertThat(t.column("note").text(0)).isEqualTo("said \"hi\"\nthen left");
        assertThat(t.column("note").isMissing(1)).isTrue();
        // A quoted number is still a number.
        assertThat(t.column("n")).isInstanceOf(NumericColumn.class);
        assertThat(((NumericColumn) t.column("n")).values()).containsExactly(3.5, 4.0);
    }

    @Test
    void crlfAndBomAndNoFinalNewline() throws IOException {
        Path p = dir.resolve("win.csv");
        byte[] body = "\"a\",b\r\n1,x\r\n2,\"y\r\nz\"\r\n3,w".getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[body.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(body, 0, withBom, 3, body.length);
        Files.write(p, withBom);
        Table t = CsvReader.read(p, Map.of(), Log.NONE);
        assertThat(t.columnNames()).containsExactly("a", "b");
        assertThat(((NumericColumn) t.column("a")).values()).containsExactly(1, 2, 3);
        assertThat(t.column("b").text(1)).isEqualTo("y\r\nz");
        assertThat(t.column("b").text(2)).isEqualTo("w");
    }

    @Test
    void utf8TextSurvives() throws IOException {
        Table t = read("city\nZürich\n東京\n");
        assertThat(t.column("city").text(0)).isEqualTo("Zürich");
        assertThat(t.column("city").text(1)).isEqualTo("東京");
    }

    @Test
    void emptyQuotedFieldAndTrailingEmptyField() throws IOException {
        Table t = read("a,b,c\n1,\"\",\n");
        assertThat(t.column("b").isMissing(0)).isTrue();
        assertThat(t.column("c").isMissing(0)).isTrue();
    }

    @Test
    void recordsSpanningTheReadBufferAreReadWhole() throws IOException {
        // Big enough to cross the 1 MB buffer several times, with quoted multi-line fields everywhere.
        StringBuilder sb = new StringBuilder("id,text,value\n");
        int rows = 40_000;
        for (int i = 0; i < rows; i++) {
            sb.append(i).append(",\"line one of ").append(i).append("\nline \"\"two\"\", with comma\",")
                    .append(i * 0.25).append("\r\n");
        }
        Path p = write("big.csv", sb.toString());
        List<Long> progress = new ArrayList<>();
        Log log = new Log() {
            @Override public void info(String message) { }
            @Override public void warn(String message) { }
            @Override public void progress(String task, long done, long total, String detail) {
                assertThat(task).isEqualTo("load");
                progress.add(done);
            }
        };
        Table t = CsvReader.read(p, Map.of(), log);
        assertThat(t.rowCount()).isEqualTo(rows);
        NumericColumn id = (NumericColumn) t.column("id");
        NumericColumn value = (NumericColumn) t.column("value");
        for (int i = 0; i < rows; i++) {
            assertThat(id.get(i)).isEqualTo(i);
            assertThat(value.get(i)).isEqualTo(i * 0.25);
            assertThat(t.column("text").text(i)).isEqualTo("line one of " + i + "\nline \"two\", with comma");
        }
        assertThat(progress).isNotEmpty().last().isEqualTo((long) rows);
        // A bad row at the end still gets its physical line number: each record above takes 2 lines.
        Files.writeString(p, sb + "x,y\n", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> CsvReader.read(p, Map.of(), Log.NONE))
                .hasMessageContaining("line " + (2 + 2 * rows) + " has 2 fields");
    }

    @Test
    void aFieldLargerThanTheReadBuffer() throws IOException {
        String big = "x".repeat(3 << 20) + ",\n\"";
        Path p = write("huge.csv", "id,blob\n1,\"" + big.replace("\"", "\"\"") + "\"\n2,small\n");
        Table t = CsvReader.read(p, Map.of(), Log.NONE);
        assertThat(t.rowCount()).isEqualTo(2);
        assertThat(t.column("blob").text(0)).isEqualTo(big);
        assertThat(t.column("blob").text(1)).isEqualTo("small");
    }

    @Test
    void fileWithOnlyAByteOrderMarkIsEmpty() throws IOException {
        Path p = dir.resolve("bom.csv");
        Files.write(p, new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        assertThatThrownBy(() -> CsvReader.read(p, Map.of(), Log.NONE))
                .isInstanceOf(InputException.class).hasMessageContaining("bom.csv").hasMessageContaining("empty");
    }

    // ---- types ----

    @Test
    void inferenceNumericVsCategoricalAndMissing() throws IOException {
        Table t = read("n,c,mixed,allEmpty\n1,a,1,\n,b,y,\n-2.5e1,,x,\n");
        assertThat(t.column("n")).isInstanceOf(NumericColumn.class);
        assertThat(((NumericColumn) t.column("n")).values()).containsExactly(1, Double.NaN, -25);
        CategoricalColumn c = (CategoricalColumn) t.column("c");
        assertThat(c.codes()).containsExactly(0, 1, -1);
        assertThat(c.levels()).containsExactly("a", "b");
        assertThat(t.column("mixed")).isInstanceOf(CategoricalColumn.class);
        assertThat(t.column("allEmpty")).isInstanceOf(NumericColumn.class);
        assertThat(t.column("allEmpty").missingCount()).isEqualTo(3);
    }

    @Test
    void columnThatTurnsOutTextKeepsTheOriginalSpellingOfEarlierCells() throws IOException {
        // "007" and "1.50" looked like numbers until "B12"; they must not come back as "7" and "1.5".
        Table t = read("code\n007\n1.50\n\nB12\nC7\n");
        CategoricalColumn c = (CategoricalColumn) t.column("code");
        assertThat(c.text(0)).isEqualTo("007");
        assertThat(c.text(1)).isEqualTo("1.50");
        assertThat(c.isMissing(2)).isFalse();
        assertThat(t.rowCount()).isEqualTo(4);
        assertThat(c.text(2)).isEqualTo("B12");
    }

    /** 20 rows: a numeric column x whose 11th value (line 12) is {@code cell}, and a label. */
    private static String strayCell(String cell) {
        StringBuilder b = new StringBuilder("x,label\n");
        for (int i = 0; i < 20; i++) {
            b.append(i == 10 ? cell : Integer.toString(i * 3)).append(',').append(i % 2).append('\n');
        }
        return b.toString();
    }

    @Test
    void aStrayTextCellInANumericColumnIsAnErrorNamingLineAndColumn() throws IOException {
        // Read as text, the column would silently become 20 one-hot features instead of one number.
        assertThatThrownBy(() -> read(strayCell("n/a"))).isInstanceOf(InputException.class)
                .hasMessageStartingWith(dir.resolve("data.csv") + ": line 12, column 'x': 'n/a' is not a number,"
                        + " while 19 of the column's 20 filled cells are")
                .hasMessageContaining("data.schema.x: {type: categorical}")
                .hasMessageContaining("nonNumeric: missing");
        // The stray cell first: the column starts as text and still counts its numbers.
        String first = strayCell("12").replaceFirst("\n0,", "\nabc,");
        assertThatThrownBy(() -> read(first)).hasMessageStartingWith(dir.resolve("data.csv")
                + ": line 2, column 'x': 'abc' is not a number");
    }

    @Test
    void aColumnOfMostlyTextOrDeclaredCategoricalStaysCategorical() throws IOException {
        Table t = read("size,label\nS,0\nM,1\nL,0\n10,1\nXL,0\n12,1\n");
        assertThat(t.column("size")).isInstanceOf(CategoricalColumn.class);
        Path p = write("declared.csv", strayCell("n/a"));
        Table declared = CsvReader.read(p, Map.of("x", categorical()), Log.NONE);
        assertThat(declared.column("x")).isInstanceOf(CategoricalColumn.class);
        assertThat(declared.column("x").text(10)).isEqualTo("n/a");
    }

    @Test
    void theSchemaCanReadStrayCellsAsMissingWithAWarning() throws IOException {
        ColumnSchema lenient = new ColumnSchema(null, null, null, null, null, NonNumeric.MISSING);
        List<String> warnings = new ArrayList<>();
        Log log = new Log() {
            @Override public void info(String message) { }
            @Override public void warn(String message) { warnings.add(message); }
        };
        for (String csv : List.of(strayCell("n/a"), strayCell("12").replaceFirst("\n0,", "\nabc,"))) {
            warnings.clear();
            Table t = CsvReader.read(write("lenient.csv", csv), Map.of("x", lenient), log);
            NumericColumn x = (NumericColumn) t.column("x");
            assertThat(x.missingCount()).isEqualTo(1);
            assertThat(warnings).singleElement().asString().contains("column 'x'").contains("1 cell")
                    .contains("missing").containsPattern("line (12|2)");
        }
        // Declared numeric and lenient: the same, instead of the declared column's error.
        ColumnSchema numericLenient = new ColumnSchema(ColumnType.NUMERIC, null, null, null, null, NonNumeric.MISSING);
        Table t = CsvReader.read(write("n.csv", strayCell("n/a")), Map.of("x", numericLenient), log);
        assertThat(t.column("x").isMissing(10)).isTrue();
    }

    @Test
    void columnThatStartsEmptyThenTextNeedsNoRescan() throws IOException {
        Table t = read("a,b\n,1\n,2\nx,3\n");
        assertThat(t.column("a")).isInstanceOf(CategoricalColumn.class);
        assertThat(t.column("a").isMissing(0)).isTrue();
        assertThat(t.column("a").text(2)).isEqualTo("x");
    }

    @Test
    void schemaTypeWins() throws IOException {
        Path p = write("s.csv", "zip,label\n02134,0\n10001,1\n");
        Table t = CsvReader.read(p, Map.of("zip", categorical(), "label", categorical()), Log.NONE);
        assertThat(t.column("zip").text(0)).isEqualTo("02134");
        assertThat(((CategoricalColumn) t.column("label")).levels()).containsExactly("0", "1");
    }

    @Test
    void schemaColumnsNotInTheFileAreLeftToTheValidator() throws IOException {
        Path p = write("s.csv", "a\n1\n");
        Table t = CsvReader.read(p, Map.of("missing", numeric()), Log.NONE);
        assertThat(t.columnNames()).containsExactly("a");
    }

    @Test
    void headerNamesAreTrimmed() throws IOException {
        assertThat(read(" a , b\n1,2\n").columnNames()).containsExactly("a", "b");
    }
}
