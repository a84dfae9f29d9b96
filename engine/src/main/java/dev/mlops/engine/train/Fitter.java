package dev.mlops.engine.train;

import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import dev.mlops.engine.evaluate.Predictions;
import org.tribuo.Model;
import org.tribuo.classification.Label;

import java.util.Map;

/** How one algorithm fits a grid point on some table rows and predicts others. */
interface Fitter {

    /**
     * Fits {@code point} on table {@code rows}; {@code klass[i]} is the class of {@code rows[i]}.
     *
     * @param detail   what the progress lines call this fit
     * @param instance the model's instance provenance (the schema) for the final fit; null for a search fit
     */
    Fitted fit(Map<String, Double> point, int[] rows, int[] klass, String detail, Map<String, Provenance> instance);

    /** One fitted grid point. */
    interface Fitted {
        /**
         * Predictions for table rows, or null when this fitter has no features for them (an example fit holds the
         * training split's examples only; the evaluator featurizes other rows itself).
         */
        Predictions predict(int[] rows);

        /** The Tribuo model, with provenance (built on first call). */
        Model<Label> model();
    }
}
