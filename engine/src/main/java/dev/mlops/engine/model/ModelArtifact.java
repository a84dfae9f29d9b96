package dev.mlops.engine.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance;
import dev.mlops.engine.AtomicFiles;
import dev.mlops.engine.InputException;
import dev.mlops.engine.Json;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.protos.core.ModelProto;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * Saving and loading models as Tribuo protobuf files. Loading parses the protobuf message itself and never falls
 * back to Java deserialization, so a file a user hands us cannot run code.
 */
public final class ModelArtifact {
    /** Instance-provenance key under which the {@link ModelSchema} JSON is stored in the model file. */
    public static final String SCHEMA_KEY = "mlops-schema";

    private ModelArtifact() {
    }

    /** The instance provenance to pass to {@code Trainer.train(dataset, provenance)} so the schema is embedded. */
    public static Map<String, Provenance> provenance(ModelSchema schema) {
        return Map.of(SCHEMA_KEY, new StringProvenance(SCHEMA_KEY, Json.write(schema)));
    }

    public static void save(Model<Label> model, Path file) {
        AtomicFiles.write(file, model::serializeToFile);
    }

    public static LoadedModel load(Path file) {
        dev.mlops.engine.InputFiles.requireRegular(file, "Tribuo model file");
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new InputException(file + ": model file not found");
        } catch (IOException e) {
            throw new InputException(file + ": cannot read model file: " + e.getMessage());
        }
        Model<?> raw;
        try (InputStream in = new java.io.ByteArrayInputStream(bytes)) {
            raw = Model.deserialize(ModelProto.parseFrom(in));
        } catch (IOException | RuntimeException e) {
            throw new InputException(file + ": not a Tribuo protobuf model (" + e.getClass().getSimpleName() + ")");
        }
        if (!raw.validate(Label.class)) {
            throw new InputException(file + ": not a classification model");
        }
        Model<Label> model = raw.castModel(Label.class);
        Provenance p = model.getProvenance().getInstanceProvenance().getMap().get(SCHEMA_KEY);
        if (!(p instanceof StringProvenance sp)) {
            throw new InputException(file + ": model has no mlops schema; train it with 'mlops train'");
        }
        ModelSchema schema;
        try {
            schema = Json.MAPPER.readValue(sp.getValue(), ModelSchema.class);
        } catch (JsonProcessingException e) {
            throw new InputException(file + ": unreadable mlops schema in model provenance: " + e.getOriginalMessage());
        }
        return new LoadedModel(model, schema, sha256(bytes), bytes.length);
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sha256(Path file) {
        try {
            return sha256(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new InputException(file + ": cannot read: " + e.getMessage());
        }
    }
}
