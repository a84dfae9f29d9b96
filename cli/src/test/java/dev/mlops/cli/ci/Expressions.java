package dev.mlops.cli.ci;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of GitHub Actions' expression language the generated workflows use: literals, context paths
 * ({@code github.sha}, {@code steps.x.outputs.y}, {@code needs.j.result}), {@code == != && || !}, parentheses and
 * the status functions. Values are strings (absent is the empty string), truthiness as GitHub's: empty, false and 0
 * are false. {@code functions} answers {@code success()}, {@code hashFiles(...)} and the like.
 */
final class Expressions {
    private static final Pattern TEMPLATE = Pattern.compile("\\$\\{\\{(.*?)}}", Pattern.DOTALL);

    final Function<String, String> context;
    final Function<String, String> functions;

    Expressions(Function<String, String> context, Function<String, String> functions) {
        this.context = context;
        this.functions = functions;
    }

    /** A string with every {@code ${{ }}} replaced by its value. */
    String interpolate(String text) {
        Matcher m = TEMPLATE.matcher(text);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(b, Matcher.quoteReplacement(eval(m.group(1))));
        }
        m.appendTail(b);
        return b.toString();
    }

    /** An {@code if:}: with or without {@code ${{ }}}; status functions default to {@code success()}. */
    boolean condition(String expr) {
        String e = expr.strip();
        Matcher m = TEMPLATE.matcher(e);
        if (m.matches()) {
            e = m.group(1);
        }
        if (!e.matches("(?s).*\\b(success|failure|always|cancelled)\\(\\).*")) {
            e = "success() && (" + e + ")";
        }
        return truthy(eval(e));
    }

    static boolean truthy(String v) {
        return !(v == null || v.isEmpty() || v.equals("false") || v.equals("0"));
    }

    String eval(String expr) {
        Parser p = new Parser(tokens(expr));
        String v = p.or();
        if (p.i != p.t.size()) {
            throw new IllegalArgumentException("unexpected '" + p.t.get(p.i) + "' in ${{ " + expr + " }}");
        }
        return v;
    }

    private static List<String> tokens(String s) {
        List<String> t = new ArrayList<>();
        Matcher m = Pattern.compile("\\s*('(?:[^']|'')*'|&&|\\|\\||==|!=|!|\\(|\\)|,|[A-Za-z_][A-Za-z0-9_.\\-*]*|-?[0-9.]+)")
                .matcher(s);
        int end = 0;
        while (m.find() && m.start() == end) {
            t.add(m.group(1));
            end = m.end();
        }
        if (!s.substring(end).isBlank()) {
            throw new IllegalArgumentException("cannot read '" + s.substring(end) + "' in ${{ " + s + " }}");
        }
        return t;
    }

    private final class Parser {
        final List<String> t;
        int i;

        Parser(List<String> t) {
            this.t = t;
        }

        boolean at(String s) {
            return i < t.size() && t.get(i).equals(s);
        }

        String or() {
            String v = and();
            while (at("||")) {
                i++;
                String r = and();
                v = truthy(v) ? v : r;
            }
            return v;
        }

        String and() {
            String v = cmp();
            while (at("&&")) {
                i++;
                String r = cmp();
                v = truthy(v) ? r : v;
            }
            return v;
        }

        String cmp() {
            String v = unary();
            while (at("==") || at("!=")) {
                boolean eq = t.get(i++).equals("==");
                String r = unary();
                v = String.valueOf(v.equalsIgnoreCase(r) == eq);
            }
            return v;
        }

        String unary() {
            if (at("!")) {
                i++;
                return String.valueOf(!truthy(unary()));
            }
            return primary();
        }

        String primary() {
            String tok = t.get(i++);
            if (tok.equals("(")) {
                String v = or();
                i++;
                return v;
            }
            if (tok.startsWith("'")) {
                return tok.substring(1, tok.length() - 1).replace("''", "'");
            }
            if (at("(")) {
                i++;
                List<String> args = new ArrayList<>();
                while (!at(")")) {
                    args.add(or());
                    if (at(",")) {
                        i++;
                    }
                }
                i++;
                return functions.apply(tok + "(" + String.join(",", args) + ")");
            }
            if (tok.equals("true") || tok.equals("false") || tok.matches("-?[0-9.]+")) {
                return tok;
            }
            if (tok.equals("null")) {
                return "";
            }
            String v = context.apply(tok);
            return v == null ? "" : v;
        }
    }

    static String get(Map<String, ?> map, String key) {
        Object v = map.get(key);
        return v == null ? null : v.toString();
    }
}
