package dev.mlops.engine.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes a UTF-8 file for the CSV parser: drops a leading byte-order mark, counts the bytes read (for progress), and
 * turns each malformed sequence into U+FFFD while remembering that it did, so the reader can name the line and column
 * that holds it instead of silently keeping a replacement character.
 */
final class Utf8Reader extends Reader {
    static final char REPLACEMENT = '\uFFFD';

    private final InputStream in;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteBuffer bytes = ByteBuffer.allocate(1 << 16);
    private boolean eof;
    private boolean first = true;
    private long consumed;
    private long malformed;

    Utf8Reader(InputStream in) {
        this.in = in;
        bytes.flip();
    }

    /** Bytes taken from the file so far. */
    long consumed() {
        return consumed;
    }

    /** Malformed sequences replaced so far: a U+FFFD in a field is the file's own only while this is 0. */
    boolean sawMalformed() {
        return malformed > 0;
    }

    @Override
    public int read(char[] cbuf, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        CharBuffer out = CharBuffer.wrap(cbuf, off, len);
        while (out.position() == off) {
            int before = bytes.position();
            CoderResult r = decoder.decode(bytes, out, eof);
            consumed += bytes.position() - before;
            if (r.isError()) {
                if (!out.hasRemaining()) {
                    break;
                }
                bytes.position(bytes.position() + r.length());
                consumed += r.length();
                out.put(REPLACEMENT);
                malformed++;
            } else if (r.isOverflow() || eof) {
                break; // out is full, or everything is decoded
            } else {
                fill();
            }
        }
        int n = out.position() - off;
        if (n == 0) {
            return -1;
        }
        if (first) {
            first = false;
            if (cbuf[off] == '\uFEFF') {
                System.arraycopy(cbuf, off + 1, cbuf, off, n - 1);
                return n == 1 ? read(cbuf, off, len) : n - 1;
            }
        }
        return n;
    }

    /** Moves what is left to the front and reads more; sets {@code eof} at the end of the file. */
    private void fill() throws IOException {
        bytes.compact();
        int r = in.read(bytes.array(), bytes.position(), bytes.remaining());
        if (r < 0) {
            eof = true;
        } else {
            bytes.position(bytes.position() + r);
        }
        bytes.flip();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
