package io.berth.cli;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import picocli.CommandLine.Model.IGetter;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * A command's picocli model written in code rather than read from annotations. Reading an annotation
 * makes the JDK generate a proxy class for its type (and for {@code @Retention}/{@code @Target} on the
 * way) with the ClassFile API, all of it interpreted in a fresh JVM, and a JDK 25 AOT cache cannot hold
 * such classes: six proxies and picocli's reflection cost a CLI call more CPU than the JVM's own boot.
 * The root, the groups and the hottest commands ({@code ps}, {@code exec}) describe themselves here;
 * picocli then only wraps the object ({@link CommandSpec#wrapWithoutInspection}). Options bind to the
 * command's fields through the getter and setter given, so the command's code reads its fields as before;
 * a field's value when the model is built is the option's initial value, as picocli takes it from a field.
 */
public final class CommandModel {

    /** A command whose model is built in code; {@link CommandTable} uses it instead of the annotations. */
    public interface InCode {
        CommandSpec model();
    }

    private final CommandSpec spec;

    private CommandModel(Object command, String name) {
        this.spec = CommandSpec.wrapWithoutInspection(command).name(name);
    }

    public static CommandModel of(Object command, String name, String... description) {
        CommandModel model = new CommandModel(command, name);
        model.spec.usageMessage().description(description);
        return model;
    }

    public CommandSpec spec() {
        return spec;
    }

    /** A boolean flag ({@code -a}). */
    public CommandModel flag(Consumer<Boolean> set, Supplier<Boolean> get, String description, String... names) {
        spec.addOption(OptionSpec.builder(names).type(boolean.class).description(description)
                .initialValue(get.get())
                .getter(binding(get, set)).setter(binding(get, set)).build());
        return this;
    }

    /** An option taking one value. */
    public <T> CommandModel option(Class<T> type, Consumer<T> set, Supplier<T> get, String paramLabel,
                                   String description, String... names) {
        return optionWithDefault(type, set, get, paramLabel, null, description, names);
    }

    /** An option taking one value, with the value it has when not given (converted as a given one would be). */
    public <T> CommandModel optionWithDefault(Class<T> type, Consumer<T> set, Supplier<T> get, String paramLabel,
                                              String defaultValue, String description, String... names) {
        var binding = binding(get, set);
        spec.addOption(OptionSpec.builder(names).type(type).paramLabel(paramLabel).defaultValue(defaultValue)
                .description(description).initialValue(get.get()).getter(binding).setter(binding).build());
        return this;
    }

    /** A repeatable option ({@code -e A -e B}) collected into a list of {@code element}. */
    public <T> CommandModel list(Class<T> element, Consumer<List<T>> set, Supplier<List<T>> get, String paramLabel,
                                 String description, String... names) {
        var binding = binding(get, set);
        spec.addOption(OptionSpec.builder(names).type(List.class).auxiliaryTypes(element).paramLabel(paramLabel)
                .description(description).initialValue(get.get()).getter(binding).setter(binding).build());
        return this;
    }

    /** A required positional parameter of one value (picocli infers {@code required} only from annotations). */
    public CommandModel positional(String index, Consumer<String> set, Supplier<String> get, String paramLabel) {
        var binding = binding(get, set);
        spec.addPositional(PositionalParamSpec.builder().index(index).required(true).type(String.class).paramLabel(paramLabel)
                .initialValue(get.get()).getter(binding).setter(binding).build());
        return this;
    }

    /** The positional parameters from {@code index} on, at least one. */
    public CommandModel rest(String index, Consumer<List<String>> set, Supplier<List<String>> get, String paramLabel) {
        var binding = binding(get, set);
        spec.addPositional(PositionalParamSpec.builder().index(index).required(true).arity("1..*").type(List.class)
                .auxiliaryTypes(String.class).paramLabel(paramLabel).initialValue(get.get()).getter(binding).setter(binding).build());
        return this;
    }

    /**
     * An option as the builder describes it (names, label, description, converter...), bound to a field.
     * Picocli gives {@code boolean}/{@code Boolean} options no parameter, as it does annotated ones.
     */
    public <T> CommandModel add(OptionSpec.Builder option, Class<T> type, Consumer<T> set, Supplier<T> get) {
        var binding = binding(get, set);
        spec.addOption(option.type(type).initialValue(get.get()).getter(binding).setter(binding).build());
        return this;
    }

    /** A repeatable option as the builder describes it, collected into a list of {@code element}. */
    public <E> CommandModel addList(OptionSpec.Builder option, Class<E> element, Consumer<List<E>> set,
                                    Supplier<List<E>> get) {
        var binding = binding(get, set);
        spec.addOption(option.type(List.class).auxiliaryTypes(element).initialValue(get.get())
                .getter(binding).setter(binding).build());
        return this;
    }

    /** A positional parameter as the builder describes it, bound to a field. */
    public <T> CommandModel addPositional(PositionalParamSpec.Builder param, Class<T> type, Consumer<T> set,
                                          Supplier<T> get) {
        var binding = binding(get, set);
        spec.addPositional(param.type(type).initialValue(get.get()).getter(binding).setter(binding).build());
        return this;
    }

    /** Positional parameters as the builder describes them, collected into a list of {@code element}. */
    public <E> CommandModel addPositionalList(PositionalParamSpec.Builder param, Class<E> element,
                                              Consumer<List<E>> set, Supplier<List<E>> get) {
        var binding = binding(get, set);
        spec.addPositional(param.type(List.class).auxiliaryTypes(element).initialValue(get.get())
                .getter(binding).setter(binding).build());
        return this;
    }

    /** {@code --help}, as every berth command has it. */
    public CommandModel help() {
        spec.addOption(OptionSpec.builder("--help").usageHelp(true).type(boolean.class)
                .description("Print usage").build());
        return this;
    }

    private static <T> Binding<T> binding(Supplier<T> get, Consumer<T> set) {
        return new Binding<>(get, set);
    }

    /** Picocli's getter and setter over a field of the command, without reflection. */
    private record Binding<T>(Supplier<T> read, Consumer<T> write) implements IGetter, ISetter {
        @Override
        @SuppressWarnings("unchecked")
        public <V> V get() {
            return (V) read.get();
        }

        @Override
        @SuppressWarnings("unchecked")
        public <V> V set(V value) {
            V old = (V) read.get();
            write.accept((T) value);
            return old;
        }
    }
}
