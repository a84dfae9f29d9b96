// TEST DOUBLE (test scope only): the same declarations as the real Jenkins type (checked by jenkins-api-check),
// with working local bodies so the plugin's code runs in unit tests. Never on a user's class path.

package hudson.util;

import java.util.ArrayList;

public class ListBoxModel extends ArrayList<ListBoxModel.Option> {
    public ListBoxModel() {
    }

    public ListBoxModel add(String nameAndValue) {
        add(new Option(nameAndValue));
        return this;
    }

    public static final class Option {
        public String name;
        public String value;

        public Option(String name) {
            this.name = name;
            this.value = name;
        }
    }
}
