package dev.mlops.engine.model;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.TypeRegistry;
import com.oracle.labs.mlrg.olcut.config.protobuf.protos.RootProvenanceProto;
import com.oracle.labs.mlrg.olcut.config.protobuf.protos.SimpleProvenanceProto;
import com.oracle.labs.mlrg.olcut.provenance.io.SimpleMarshalledProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.DateTimeProvenance;
import org.tribuo.Model;
import org.tribuo.Output;
import org.tribuo.protos.core.ModelProto;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * Rewrites every timestamp in a model's provenance (training time, data source times, nested models and transformer
 * maps included) to one given time. Tribuo trainers stamp {@code OffsetDateTime.now()} into what they build, so two
 * identical trainings would otherwise give different files, and a different SHA-256 for the same model.
 *
 * <p>Works on the model's protobuf form: every {@code RootProvenanceProto} reachable from the {@code ModelProto},
 * through the {@code Any} payloads of Tribuo's own messages, has its {@code DateTimeProvenance} values replaced; the
 * result is parsed back by Tribuo, so it is the model Tribuo would load from the file.
 */
public final class ProvenanceTimes {
    private static final String DATE_TIME = DateTimeProvenance.class.getName();
    private static final String ROOT = RootProvenanceProto.getDescriptor().getFullName();
    private static final String ANY = Any.getDescriptor().getFullName();
    private static final TypeRegistry TRIBUO_MESSAGES = registry();

    private ProvenanceTimes() {
    }

    /** {@code model} with every provenance timestamp set to {@code time}. */
    @SuppressWarnings("unchecked")
    public static <T extends Output<T>> Model<T> at(Model<T> model, OffsetDateTime time) {
        try {
            DynamicMessage proto = DynamicMessage.parseFrom(ModelProto.getDescriptor(),
                    model.serialize().toByteString());
            ModelProto rewritten = ModelProto.parseFrom(walk(proto, time).toByteString());
            return (Model<T>) Model.deserialize(rewritten);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("cannot re-read a model Tribuo just serialized: " + e.getMessage(), e);
        }
    }

    private static DynamicMessage walk(DynamicMessage m, OffsetDateTime time) throws InvalidProtocolBufferException {
        DynamicMessage.Builder b = m.toBuilder();
        for (Descriptors.FieldDescriptor f : m.getDescriptorForType().getFields()) {
            if (f.getJavaType() != Descriptors.FieldDescriptor.JavaType.MESSAGE) {
                continue;
            }
            if (f.isRepeated()) {
                int n = m.getRepeatedFieldCount(f);
                for (int i = 0; i < n; i++) {
                    b.setRepeatedField(f, i, value((DynamicMessage) m.getRepeatedField(f, i), time));
                }
            } else if (m.hasField(f)) {
                b.setField(f, value((DynamicMessage) m.getField(f), time));
            }
        }
        return b.build();
    }

    private static DynamicMessage value(DynamicMessage v, OffsetDateTime time) throws InvalidProtocolBufferException {
        String type = v.getDescriptorForType().getFullName();
        if (type.equals(ROOT)) {
            RootProvenanceProto root = RootProvenanceProto.parseFrom(v.toByteString());
            return DynamicMessage.parseFrom(v.getDescriptorForType(), retime(root, time).toByteString());
        }
        if (type.equals(ANY)) {
            Descriptors.Descriptor d = v.getDescriptorForType();
            String url = (String) v.getField(d.findFieldByName("type_url"));
            ByteString payload = (ByteString) v.getField(d.findFieldByName("value"));
            Descriptors.Descriptor inner = TRIBUO_MESSAGES.getDescriptorForTypeUrl(url);
            if (inner == null) {
                return v; // not one of Tribuo's messages: nothing of ours inside
            }
            ByteString walked = walk(DynamicMessage.parseFrom(inner, payload), time).toByteString();
            return v.toBuilder().setField(d.findFieldByName("value"), walked).build();
        }
        return walk(v, time);
    }

    private static RootProvenanceProto retime(RootProvenanceProto root, OffsetDateTime time) {
        RootProvenanceProto.Builder b = root.toBuilder();
        for (int i = 0; i < b.getSmpCount(); i++) {
            SimpleProvenanceProto s = b.getSmp(i);
            if (DATE_TIME.equals(s.getProvenanceClassName())) {
                String value = new SimpleMarshalledProvenance(new DateTimeProvenance(s.getKey(), time)).getValue();
                b.setSmp(i, s.toBuilder().setValue(value));
            }
        }
        return b.build();
    }

    /** Every message of the Tribuo modules the engine trains with (the types an {@code Any} in a model can hold). */
    private static TypeRegistry registry() {
        TypeRegistry.Builder b = TypeRegistry.newBuilder();
        for (Descriptors.FileDescriptor file : List.of(
                org.tribuo.protos.core.TribuoCore.getDescriptor(),
                org.tribuo.protos.core.TribuoCoreImpl.getDescriptor(),
                org.tribuo.math.protos.TribuoMath.getDescriptor(),
                org.tribuo.math.protos.TribuoMathImpl.getDescriptor(),
                org.tribuo.classification.protos.TribuoClassificationCore.getDescriptor(),
                org.tribuo.classification.sgd.protos.TribuoClassificationSgd.getDescriptor(),
                org.tribuo.common.tree.protos.TribuoTree.getDescriptor(),
                org.tribuo.common.xgboost.protos.TribuoXgboost.getDescriptor())) {
            for (Descriptors.Descriptor d : file.getMessageTypes()) {
                b.add(d);
            }
        }
        return b.build();
    }
}
