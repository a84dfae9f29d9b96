package dev.mlops.engine.train;

import com.google.protobuf.Any;
import com.oracle.labs.mlrg.olcut.provenance.ListProvenance;
import com.oracle.labs.mlrg.olcut.provenance.ObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.BooleanProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.IntProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Model;
import org.tribuo.Tribuo;
import org.tribuo.VariableInfo;
import org.tribuo.classification.Label;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import org.tribuo.classification.sgd.protos.ClassificationLinearSGDProto;
import org.tribuo.impl.ModelDataCarrier;
import org.tribuo.math.LinearParameters;
import org.tribuo.math.la.DenseMatrix;
import org.tribuo.math.util.ExpNormalizer;
import org.tribuo.protos.ProtoUtil;
import org.tribuo.protos.core.MeanStdDevTransformerProto;
import org.tribuo.protos.core.ModelProto;
import org.tribuo.protos.core.TransformedModelProto;
import org.tribuo.protos.core.TransformerProto;
import org.tribuo.provenance.DataProvenance;
import org.tribuo.provenance.DatasetProvenance;
import org.tribuo.provenance.ModelProvenance;
import org.tribuo.transform.TransformationMap;
import org.tribuo.transform.TransformedModel;
import org.tribuo.transform.Transformer;
import org.tribuo.transform.TransformerMap;
import org.tribuo.transform.transformations.MeanStdDevTransformation;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Assembles fitted linear weights into stock Tribuo objects: a {@link LinearSGDModel} (a linear model with a
 * softmax output, which is what multinomial logistic regression is), wrapped in a {@link TransformedModel} holding
 * one {@code MeanStdDevTransformation} per standardised feature. Those classes' constructors are not public, so the
 * objects are built the way Tribuo itself loads them, through their protobuf messages; a file saved from the result
 * is an ordinary Tribuo model that plain Tribuo 4.3 loads, with its provenance.
 */
final class TribuoLinear {
    private static final String MEAN_STD_TRANSFORMER =
            MeanStdDevTransformation.class.getName() + "$MeanStdDevTransformer";

    private TribuoLinear() {
    }

    /**
     * @param weights     per Tribuo label id, the weight of each feature id and the intercept last
     * @param mean        per feature id, the standardisation mean; ignored where {@code sd} is not positive
     * @param sd          per feature id, the standardisation sd; 0 (or less) leaves the feature unscaled
     * @param provenance  the model's provenance (the same for the wrapper and the inner linear model)
     */
    static Model<Label> build(List<VariableInfo> features, ImmutableOutputInfo<Label> outputs, double[][] weights,
                              double[] mean, double[] sd, ModelProvenance provenance,
                              ModelProvenance innerProvenance) {
        ImmutableFeatureMap featureMap = new ImmutableFeatureMap(features);
        ClassificationLinearSGDProto linear = ClassificationLinearSGDProto.newBuilder()
                .setMetadata(new ModelDataCarrier<>("softmax-regression", innerProvenance, featureMap, outputs, true,
                        Tribuo.VERSION).serialize())
                .setParams(new LinearParameters(DenseMatrix.createDenseMatrix(weights)).serialize())
                .setNormalizer(new ExpNormalizer().serialize())
                .build();
        ModelProto inner = ModelProto.newBuilder().setVersion(LinearSGDModel.CURRENT_VERSION)
                .setClassName(LinearSGDModel.class.getName()).setSerializedData(Any.pack(linear)).build();

        Map<String, List<Transformer>> transformers = new LinkedHashMap<>();
        Map<String, List<org.tribuo.transform.Transformation>> transformations = new LinkedHashMap<>();
        for (int j = 0; j < sd.length; j++) {
            if (sd[j] > 0) {
                String name = featureMap.get(j).getName();
                transformers.put(name, List.of(meanStdDev(mean[j], sd[j])));
                transformations.put(name, List.of(new MeanStdDevTransformation()));
            }
        }
        if (transformers.isEmpty()) {
            return cast(Model.deserialize(inner));
        }
        TransformerMap map = new TransformerMap(transformers, innerProvenance.getDatasetProvenance(),
                new TransformationMap(transformations).getProvenance());
        TransformedModelProto wrapped = TransformedModelProto.newBuilder()
                .setMetadata(new ModelDataCarrier<>("transformed-model", provenance, featureMap, outputs, true,
                        Tribuo.VERSION).serialize())
                .setModel(inner)
                .setTransformerMap(map.serialize())
                .setDensify(false)
                .build();
        return cast(Model.deserialize(ModelProto.newBuilder().setVersion(TransformedModel.CURRENT_VERSION)
                .setClassName(TransformedModel.class.getName()).setSerializedData(Any.pack(wrapped)).build()));
    }

    /** Tribuo's own transformer, {@code ((x - mean) / sd) * 1 + 0}, from its protobuf form. */
    private static Transformer meanStdDev(double mean, double sd) {
        TransformerProto proto = TransformerProto.newBuilder().setVersion(0).setClassName(MEAN_STD_TRANSFORMER)
                .setSerializedData(Any.pack(MeanStdDevTransformerProto.newBuilder().setObservedMean(mean)
                        .setObservedStdDev(sd).setTargetMean(0.0).setTargetStdDev(1.0).build()))
                .build();
        return ProtoUtil.deserialize(proto);
    }

    /**
     * A dataset provenance for data that never became a Tribuo dataset: its source, and the counts a
     * {@code MutableDataset} would have recorded.
     */
    static DatasetProvenance datasetProvenance(DataProvenance source, String datasetClass, int examples,
                                               int features, int outputs) {
        Map<String, Provenance> map = new HashMap<>();
        map.put(ObjectProvenance.CLASS_NAME, new StringProvenance(ObjectProvenance.CLASS_NAME, datasetClass));
        map.put("datasource", source);
        map.put("transformations", new ListProvenance<>());
        map.put("is-dense", new BooleanProvenance("is-dense", true));
        map.put("is-sequence", new BooleanProvenance("is-sequence", false));
        map.put("num-examples", new IntProvenance("num-examples", examples));
        map.put("num-features", new IntProvenance("num-features", features));
        map.put("num-outputs", new IntProvenance("num-outputs", outputs));
        map.put("tribuo-version", new StringProvenance("tribuo-version", Tribuo.VERSION));
        return new DatasetProvenance(map);
    }

    @SuppressWarnings("unchecked")
    private static Model<Label> cast(Model<?> m) {
        return (Model<Label>) m;
    }
}
