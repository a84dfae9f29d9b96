package dev.mlops.jenkins.views;

import dev.mlops.jenkins.actions.CheckReportAction;
import dev.mlops.jenkins.actions.DataCheckAction;
import dev.mlops.jenkins.actions.GateAction;
import dev.mlops.jenkins.actions.RegisterAction;
import dev.mlops.jenkins.actions.ReleaseAction;
import dev.mlops.jenkins.actions.TrainAction;
import dev.mlops.jenkins.config.MlopsGlobalConfiguration;
import dev.mlops.jenkins.steps.BlueGreenDeployStep;
import dev.mlops.jenkins.steps.MlGateStep;
import dev.mlops.jenkins.steps.MlRegisterStep;
import dev.mlops.jenkins.steps.MlRollbackStep;
import dev.mlops.jenkins.steps.MlTrainStep;
import dev.mlops.jenkins.steps.MlValidateDataStep;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.beans.Introspector;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jelly cannot be rendered without Jenkins, so this checks what can be checked here: every view parses as XML with
 * escape-by-default on; each step's config.jelly has exactly one entry per data-bound property (the Snippet Generator
 * offers every parameter) and each property has a help page where Descriptor.getHelpFile looks (the class or a
 * superclass); each action has summary.jelly and index.jelly, and every ${it.x} they use is a getter of the action.
 */
class ViewsTest {
    static final List<Class<?>> STEPS = List.of(MlValidateDataStep.class, MlTrainStep.class, MlGateStep.class,
            MlRegisterStep.class, BlueGreenDeployStep.class, MlRollbackStep.class);
    static final List<Class<?>> ACTIONS = List.of(DataCheckAction.class, TrainAction.class, GateAction.class,
            RegisterAction.class, ReleaseAction.class);

    static Document xml(Class<?> owner, String view) throws Exception {
        String path = "/" + owner.getName().replace('.', '/') + "/" + view;
        try (InputStream in = ViewsTest.class.getResourceAsStream(path)) {
            assertThat(in).as(path).isNotNull();
            byte[] bytes = in.readAllBytes();
            if (view.endsWith(".jelly")) {
                assertThat(new String(bytes, java.nio.charset.StandardCharsets.UTF_8))
                        .as(path).contains("<?jelly escape-by-default='true'?>");
            }
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            return f.newDocumentBuilder().parse(new java.io.ByteArrayInputStream(bytes));
        }
    }

    static Set<String> properties(Class<?> step) {
        Set<String> props = new LinkedHashSet<>();
        for (Constructor<?> c : step.getConstructors()) {
            if (c.isAnnotationPresent(DataBoundConstructor.class)) {
                for (Parameter p : c.getParameters()) {
                    props.add(p.getName());
                }
            }
        }
        for (Method m : step.getMethods()) {
            if (m.isAnnotationPresent(DataBoundSetter.class)) {
                props.add(Introspector.decapitalize(m.getName().substring(3)));
            }
        }
        return props;
    }

    static boolean hasHelp(Class<?> step, String field) {
        for (Class<?> c = step; c != null; c = c.getSuperclass()) {
            if (ViewsTest.class.getResource("/" + c.getName().replace('.', '/') + "/help-" + field + ".html") != null) {
                return true;
            }
        }
        return false;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5})
    void everyParameterOfAStepIsInItsFormWithHelp(int i) throws Exception {
        Class<?> step = STEPS.get(i);
        Set<String> props = properties(step);
        assertThat(props).as("javac -parameters keeps constructor names").doesNotContain("arg0");
        NodeList entries = xml(step, "config.jelly").getElementsByTagNameNS("/lib/form", "entry");
        List<String> fields = new ArrayList<>();
        for (int e = 0; e < entries.getLength(); e++) {
            fields.add(((Element) entries.item(e)).getAttribute("field"));
        }
        assertThat(fields).containsExactlyInAnyOrderElementsOf(props);
        for (String p : props) {
            assertThat(hasHelp(step, p)).as(step.getSimpleName() + " help-" + p + ".html").isTrue();
        }
        xml(step, "help.html");
    }

    @Test
    void theGlobalConfigurationOffersItsFields() throws Exception {
        NodeList entries = xml(MlopsGlobalConfiguration.class, "config.jelly").getElementsByTagNameNS("/lib/form", "entry");
        List<String> fields = new ArrayList<>();
        for (int e = 0; e < entries.getLength(); e++) {
            fields.add(((Element) entries.item(e)).getAttribute("field"));
            assertThat(hasHelp(MlopsGlobalConfiguration.class, fields.get(e))).isTrue();
        }
        assertThat(fields).containsExactlyInAnyOrderElementsOf(properties(MlopsGlobalConfiguration.class));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4})
    void everyActionHasASummaryRowAndAPageUsingOnlyItsGetters(int i) throws Exception {
        Class<?> action = ACTIONS.get(i);
        for (String view : List.of("summary.jelly", "index.jelly")) {
            Document d = xml(action, view);
            String text = new String(action.getResourceAsStream(action.getSimpleName() + "/" + view).readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8);
            Matcher m = Pattern.compile("\\bit\\.([a-zA-Z0-9]+)").matcher(text);
            while (m.find()) {
                assertThat(getter(action, m.group(1))).as(action.getSimpleName() + "/" + view + ": it." + m.group(1))
                        .isTrue();
            }
            if (view.equals("summary.jelly")) {
                assertThat(d.getElementsByTagNameNS("/lib/hudson", "summary").getLength()).isEqualTo(1);
            }
        }
        if (CheckReportAction.class.isAssignableFrom(action)) {
            xml(CheckReportAction.class, "table.jelly");
        }
    }

    static boolean getter(Class<?> c, String property) {
        String cap = Character.toUpperCase(property.charAt(0)) + property.substring(1);
        for (String prefix : List.of("get", "is")) {
            try {
                c.getMethod(prefix + cap);
                return true;
            } catch (NoSuchMethodException ignored) {
                // try the next prefix
            }
        }
        return false;
    }
}
