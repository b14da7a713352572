package io.seismo.cli;

import io.seismo.config.Overrides;

/**
 * A command whose configuration starts from defaults of its own (passed to {@link ConfigOptions#load(Overrides)}): they
 * replace the built-in defaults and give way to the file, the environment and --set. Exposed so that a test can check,
 * for every command, that they rank there.
 */
interface CommandDefaults {
    /** The keys this command sets by default, computed from its options; called after they are parsed. */
    Overrides commandDefaults();
}
