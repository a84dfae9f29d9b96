package hudson.util;

import java.util.ArrayList;

public class ListBoxModel extends ArrayList<ListBoxModel.Option> {
    public ListBoxModel() {
    }

    public ListBoxModel add(String nameAndValue) {
        throw new UnsupportedOperationException("compile-only declaration");
    }

    public static final class Option {
        public Option(String name) {
        }
    }
}
