package io.seismo.cli;

import java.util.Arrays;
import java.util.stream.Collectors;

import io.seismo.config.ConfigDef;
import io.seismo.config.ProcessingGuarantee;
import picocli.CommandLine;

/** Reads an option's value as configuration spells its enum ({@code exactly_once_v2}): one word on the command line and in a file. */
abstract class ChoiceConverter<E extends Enum<E> & ConfigDef.Choice> implements CommandLine.ITypeConverter<E> {
    private final Class<E> type;

    ChoiceConverter(Class<E> type) {
        this.type = type;
    }

    @Override
    public E convert(String value) {
        return ConfigDef.Choice.of(type, value.trim()).orElseThrow(() -> new CommandLine.TypeConversionException("'" + value
                + "' is none of " + Arrays.stream(type.getEnumConstants()).map(ConfigDef.Choice::spelling).collect(Collectors.joining(", "))));
    }

    /** A processing guarantee, as processing.guarantee spells it. */
    static final class Guarantee extends ChoiceConverter<ProcessingGuarantee> {
        Guarantee() {
            super(ProcessingGuarantee.class);
        }
    }
}
