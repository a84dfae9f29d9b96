package dev.mlops.engine.spec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.mlops.engine.InputException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.parser.Parser;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads one YAML document into a Jackson tree, recording the line of every key. Jackson's {@code readTree} gets two
 * things wrong for a spec: an alias reads as the anchor's name ({@code registeredModel: *exp} gave "exp"), and a
 * repeated key silently replaces the first. Here an alias becomes a copy of its anchored value, and a repeated key,
 * an alias without an anchor, a merge key ({@code <<}) and a second document are errors naming their lines.
 * Expansion is bounded ({@link #MAX_VALUES}) so aliases of aliases cannot blow up memory.
 *
 * <p>The structure comes from SnakeYAML's event parser (the parser under Jackson's YAML module, which does not expose
 * a scalar's anchor); each plain scalar is typed by Jackson itself, so numbers, booleans and nulls read exactly as
 * they did through {@code readTree}.
 */
final class YamlTree {
    /** Values in the expanded document; far above any real spec, far below what hurts. */
    static final int MAX_VALUES = 100_000;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String STR_TAG = "tag:yaml.org,2002:str";

    /** The document ({@code null} when empty) and the line of each key by its path of names from the root. */
    record Result(JsonNode root, Map<List<String>, Integer> lines) {
    }

    private final Parser parser;
    private final YAMLFactory scalars;
    private final Path file;
    private final Map<String, JsonNode> anchors = new HashMap<>();
    private final Map<List<String>, Integer> lines = new HashMap<>();
    private int values;

    private YamlTree(Parser parser, YAMLFactory scalars, Path file) {
        this.parser = parser;
        this.scalars = scalars;
        this.file = file;
    }

    /** Parses {@code text}; every problem, malformed YAML included, is an InputException with the file and line. */
    static Result read(YAMLFactory scalars, String text, Path file) {
        YamlTree t = new YamlTree(new ParserImpl(new StreamReader(text), new LoaderOptions()), scalars, file);
        try {
            t.expect(Event.ID.StreamStart);
            if (t.parser.checkEvent(Event.ID.StreamEnd)) {
                return new Result(null, Map.of());
            }
            t.expect(Event.ID.DocumentStart);
            JsonNode root = t.value(List.of());
            t.expect(Event.ID.DocumentEnd);
            if (!t.parser.checkEvent(Event.ID.StreamEnd)) {
                throw t.error(t.parser.peekEvent(), "a second YAML document follows ('---'); a spec is one document");
            }
            return new Result(root, Map.copyOf(t.lines));
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            throw new InputException(file + (m != null ? ":" + (m.getLine() + 1) : "") + ": not valid YAML: "
                    + (e.getContext() != null ? e.getContext() + "; " : "") + e.getProblem());
        }
    }

    private JsonNode value(List<String> path) {
        Event e = parser.getEvent();
        if (e instanceof AliasEvent alias) {
            JsonNode anchored = anchors.get(alias.getAnchor());
            if (anchored == null) {
                throw error(e, "alias '*" + alias.getAnchor() + "' refers to no anchor '&" + alias.getAnchor()
                        + "' defined before it (an alias cannot refer to a value that contains it)");
            }
            return copy(anchored, e);
        }
        JsonNode node = switch (e.getEventId()) {
            case MappingStart -> mapping(path);
            case SequenceStart -> sequence(path);
            case Scalar -> scalar((ScalarEvent) e);
            default -> throw error(e, "unexpected " + e.getEventId());
        };
        count(e);
        String anchor = ((NodeEvent) e).getAnchor();
        if (anchor != null) {
            anchors.put(anchor, node);
        }
        return node;
    }

    private ObjectNode mapping(List<String> path) {
        ObjectNode node = NODES.objectNode();
        Map<String, Integer> seen = new HashMap<>();
        while (!parser.checkEvent(Event.ID.MappingEnd)) {
            Event k = parser.peekEvent();
            if (!(k instanceof ScalarEvent key)) {
                throw error(k, "a key must be a plain name, not a list, a mapping or an alias");
            }
            parser.getEvent();
            String name = key.getValue();
            int line = line(key);
            List<String> at = child(path, name);
            if (name.equals("<<") && key.isPlain()) {
                throw error(key, "merge keys ('<<: *anchor') are not supported; write the keys out, or use an"
                        + " alias for the whole value");
            }
            Integer first = seen.putIfAbsent(name, line);
            if (first != null) {
                throw new InputException(file + ":" + line + ": '" + String.join(".", at) + "' appears twice (lines "
                        + first + " and " + line + "); remove one of them");
            }
            lines.putIfAbsent(at, line);
            node.set(name, value(at));
        }
        parser.getEvent();
        return node;
    }

    private ArrayNode sequence(List<String> path) {
        ArrayNode node = NODES.arrayNode();
        while (!parser.checkEvent(Event.ID.SequenceEnd)) {
            node.add(value(path)); // items share their list's key: errors point at the list's line
        }
        parser.getEvent();
        return node;
    }

    /** Quoted and block scalars are text; a plain one is typed as Jackson's YAML parser types it. */
    private JsonNode scalar(ScalarEvent e) {
        if (!e.isPlain() || STR_TAG.equals(e.getTag())) {
            return NODES.textNode(e.getValue());
        }
        try (JsonParser p = scalars.createParser(e.getValue())) {
            JsonToken t = p.nextToken();
            if (t == null || t == JsonToken.VALUE_NULL) {
                return NODES.nullNode();
            }
            return switch (t) {
                case VALUE_TRUE -> NODES.booleanNode(true);
                case VALUE_FALSE -> NODES.booleanNode(false);
                case VALUE_NUMBER_INT -> switch (p.getNumberType()) {
                    case INT -> NODES.numberNode(p.getIntValue());
                    case LONG -> NODES.numberNode(p.getLongValue());
                    default -> NODES.numberNode(p.getBigIntegerValue());
                };
                case VALUE_NUMBER_FLOAT -> NODES.numberNode(p.getDoubleValue());
                default -> NODES.textNode(e.getValue());
            };
        } catch (IOException notAScalarAlone) {
            return NODES.textNode(e.getValue());
        }
    }

    private JsonNode copy(JsonNode n, Event at) {
        count(at);
        if (n.isObject()) {
            ObjectNode o = NODES.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                o.set(f.getKey(), copy(f.getValue(), at));
            }
            return o;
        }
        if (n.isArray()) {
            ArrayNode a = NODES.arrayNode();
            n.forEach(v -> a.add(copy(v, at)));
            return a;
        }
        return n; // scalars are immutable
    }

    private void count(Event at) {
        if (++values > MAX_VALUES) {
            throw error(at, "the document expands to more than " + MAX_VALUES + " values through its aliases;"
                    + " a spec needs far fewer (nested aliases multiply)");
        }
    }

    private void expect(Event.ID id) {
        Event e = parser.getEvent();
        if (!e.is(id)) {
            throw error(e, "unexpected " + e.getEventId() + " (expected " + id + ")");
        }
    }

    private InputException error(Event at, String problem) {
        return new InputException(file + ":" + line(at) + ": " + problem);
    }

    private static int line(Event e) {
        return e.getStartMark() == null ? 1 : e.getStartMark().getLine() + 1;
    }

    private static List<String> child(List<String> path, String name) {
        List<String> p = new ArrayList<>(path.size() + 1);
        p.addAll(path);
        p.add(name);
        return List.copyOf(p);
    }
}
