package io.seismo.nn;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The kind of recurrent cell a network is built from. */
public enum CellType {
    /** Standard long short-term memory cell (no peepholes), gates in order input, forget, candidate, output. */
    LSTM("lstm"),
    /** LSTM with diagonal peepholes (Gers and Schmidhuber 2000); see {@code PeepholeLstmCell}. */
    LSTM_PEEPHOLE("lstm-peephole"),
    /** LSTM whose input gate is tied to the forget gate, i = 1 - f; see {@code CoupledLstmCell}. */
    LSTM_COUPLED("lstm-coupled"),
    /** Gated recurrent unit (Cho et al. 2014), reset applied before the recurrent product; see {@code GruCell}. */
    GRU("gru"),
    /** Plain (Elman) recurrent layer h = tanh(W [x; h_prev] + b); see {@code TanhRnnCell}. */
    RNN("rnn");

    private final String id;

    CellType(String id) {
        this.id = id;
    }

    /** The stable lower-case identifier used in configuration and stored models. */
    public String id() {
        return id;
    }

    /**
     * Parses an identifier case-insensitively.
     *
     * @throws IllegalArgumentException if {@code id} is null or names no cell type; the message lists the valid ids
     */
    public static CellType parse(String id) {
        if (id != null) {
            String wanted = id.trim().toLowerCase(Locale.ROOT);
            for (CellType type : values()) {
                if (type.id.equals(wanted)) {
                    return type;
                }
            }
        }
        String valid = Arrays.stream(values()).map(CellType::id).collect(Collectors.joining(", "));
        throw new IllegalArgumentException("Unknown cell type '" + id + "'; valid cell types are: " + valid);
    }

    /** Number of parameters of one layer of this cell; long so that callers can detect int overflow. */
    long parameterCount(int inputSize, int hiddenSize) {
        return switch (this) {
            case LSTM -> GateBlockCell.blockParameterCount(LstmCell.GATES, inputSize, hiddenSize);
            case LSTM_PEEPHOLE -> PeepholeLstmCell.parameterCount(inputSize, hiddenSize);
            case LSTM_COUPLED -> GateBlockCell.blockParameterCount(CoupledLstmCell.GATES, inputSize, hiddenSize);
            case GRU -> GateBlockCell.blockParameterCount(GruCell.GATES, inputSize, hiddenSize);
            case RNN -> GateBlockCell.blockParameterCount(TanhRnnCell.BLOCKS, inputSize, hiddenSize);
        };
    }

    /** Doubles of recurrent state one layer of this cell keeps. */
    int stateSize(int hiddenSize) {
        return switch (this) {
            case LSTM -> LstmCell.stateSize(hiddenSize);
            case LSTM_PEEPHOLE -> PeepholeLstmCell.stateSize(hiddenSize);
            case LSTM_COUPLED -> CoupledLstmCell.stateSize(hiddenSize);
            case GRU -> GruCell.stateSize(hiddenSize);
            case RNN -> TanhRnnCell.stateSize(hiddenSize);
        };
    }

    /** Creates the cell kernel for one layer. */
    RecurrentCell newCell(int inputSize, int hiddenSize) {
        return switch (this) {
            case LSTM -> new LstmCell(inputSize, hiddenSize);
            case LSTM_PEEPHOLE -> new PeepholeLstmCell(inputSize, hiddenSize);
            case LSTM_COUPLED -> new CoupledLstmCell(inputSize, hiddenSize);
            case GRU -> new GruCell(inputSize, hiddenSize);
            case RNN -> new TanhRnnCell(inputSize, hiddenSize);
        };
    }
}
