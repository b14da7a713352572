package io.seismo.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * One hand-worked step per cell type with chosen weights: the expected values are written out from each cell's
 * formulas with {@link Math#exp} and {@link Math#tanh}, independently of the production code.
 */
class CellKnownValueTest {

    private static final double TOLERANCE = 1e-12;

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    @Test
    void peepholeLstmStepShouldFeedCPrevToInputAndForgetGatesAndCToTheOutputGate() {
        // Rows i, f, g, o with columns [x, h_prev]; biases i, f, g, o; peepholes p_i, p_f, p_o; head.
        double wix = 0.5, wih = -0.3, wfx = 0.2, wfh = 0.4, wgx = -0.6, wgh = 0.1, wox = 0.3, woh = 0.7;
        double bi = 0.1, bf = 1.0, bg = -0.2, bo = 0.05, pi = 0.9, pf = -0.7, po = 1.3;
        double headWeight = 1.5, headBias = -0.25;
        double[] params = {wix, wih, wfx, wfh, wgx, wgh, wox, woh, bi, bf, bg, bo, pi, pf, po, headWeight, headBias};
        double x = 0.8, hPrev = -0.4, cPrev = 0.6;

        double i = sigmoid(wix * x + wih * hPrev + bi + pi * cPrev);
        double f = sigmoid(wfx * x + wfh * hPrev + bf + pf * cPrev);
        double g = Math.tanh(wgx * x + wgh * hPrev + bg);
        double c = f * cPrev + i * g;
        double o = sigmoid(wox * x + woh * hPrev + bo + po * c);
        double h = o * Math.tanh(c);

        Network network = Network.fromParameters(new NetworkShape(CellType.LSTM_PEEPHOLE, 1, 1, 1), params);
        double[] state = {hPrev, cPrev};
        double prediction = network.step(state, x, network.newScratch());

        assertEquals(h, state[0], TOLERANCE, "h");
        assertEquals(c, state[1], TOLERANCE, "c");
        assertEquals(headWeight * h + headBias, prediction, TOLERANCE, "output");
    }

    @Test
    void coupledLstmStepShouldWriteOneMinusTheForgetGateOfTheCandidate() {
        // Rows f, g, o with columns [x, h_prev]; biases f, g, o; head.
        double wfx = 0.2, wfh = 0.4, wgx = -0.6, wgh = 0.1, wox = 0.3, woh = 0.7;
        double bf = 1.0, bg = -0.2, bo = 0.05, headWeight = -0.8, headBias = 0.3;
        double[] params = {wfx, wfh, wgx, wgh, wox, woh, bf, bg, bo, headWeight, headBias};
        double x = -1.1, hPrev = 0.5, cPrev = -0.9;

        double f = sigmoid(wfx * x + wfh * hPrev + bf);
        double g = Math.tanh(wgx * x + wgh * hPrev + bg);
        double o = sigmoid(wox * x + woh * hPrev + bo);
        double c = f * cPrev + (1 - f) * g;
        double h = o * Math.tanh(c);

        Network network = Network.fromParameters(new NetworkShape(CellType.LSTM_COUPLED, 1, 1, 1), params);
        double[] state = {hPrev, cPrev};
        double prediction = network.step(state, x, network.newScratch());

        assertEquals(h, state[0], TOLERANCE, "h");
        assertEquals(c, state[1], TOLERANCE, "c");
        assertEquals(headWeight * h + headBias, prediction, TOLERANCE, "output");
    }

    @Test
    void gruStepShouldApplyTheResetGateToHPrevBeforeTheRecurrentProduct() {
        // Two units, so that r * (U h) and U (r * h) differ. Rows z0, z1, r0, r1, n0, n1 with columns
        // [x, h0, h1]; biases in the same order; head weights then bias.
        double[][] w = {
            {0.3, -0.5, 0.2},   // z0
            {-0.4, 0.1, 0.6},   // z1
            {0.7, 0.3, -0.8},   // r0
            {0.2, -0.6, 0.4},   // r1
            {-0.9, 0.5, 0.7},   // n0
            {0.6, -0.3, 1.1},   // n1
        };
        double[] b = {0.1, -0.2, 0.3, 0.05, -0.15, 0.25};
        double head0 = 1.2, head1 = -0.7, headBias = 0.1;
        double[] params = new double[3 * 2 * 3 + 6 + 3];
        int at = 0;
        for (double[] row : w) {
            for (double value : row) {
                params[at++] = value;
            }
        }
        for (double value : b) {
            params[at++] = value;
        }
        params[at++] = head0;
        params[at++] = head1;
        params[at] = headBias;
        double x = 0.6, h0 = -0.5, h1 = 0.8;

        double z0 = sigmoid(w[0][0] * x + w[0][1] * h0 + w[0][2] * h1 + b[0]);
        double z1 = sigmoid(w[1][0] * x + w[1][1] * h0 + w[1][2] * h1 + b[1]);
        double r0 = sigmoid(w[2][0] * x + w[2][1] * h0 + w[2][2] * h1 + b[2]);
        double r1 = sigmoid(w[3][0] * x + w[3][1] * h0 + w[3][2] * h1 + b[3]);
        double n0 = Math.tanh(w[4][0] * x + w[4][1] * (r0 * h0) + w[4][2] * (r1 * h1) + b[4]);
        double n1 = Math.tanh(w[5][0] * x + w[5][1] * (r0 * h0) + w[5][2] * (r1 * h1) + b[5]);
        double expected0 = (1 - z0) * n0 + z0 * h0;
        double expected1 = (1 - z1) * n1 + z1 * h1;

        Network network = Network.fromParameters(new NetworkShape(CellType.GRU, 1, 2, 1), params);
        double[] state = {h0, h1};
        double prediction = network.step(state, x, network.newScratch());

        assertEquals(expected0, state[0], TOLERANCE, "h0");
        assertEquals(expected1, state[1], TOLERANCE, "h1");
        assertEquals(head0 * expected0 + head1 * expected1 + headBias, prediction, TOLERANCE, "output");
    }

    @Test
    void tanhRnnStepShouldBeTanhOfTheAffineMapOfXAndHPrev() {
        // Row [w_x, w_h]; bias; head.
        double wx = 0.9, wh = -1.2, bias = 0.15, headWeight = 2.0, headBias = -0.5;
        double[] params = {wx, wh, bias, headWeight, headBias};
        double x = 0.4, hPrev = 0.7;

        double h = Math.tanh(wx * x + wh * hPrev + bias);

        Network network = Network.fromParameters(new NetworkShape(CellType.RNN, 1, 1, 1), params);
        double[] state = {hPrev};
        double prediction = network.step(state, x, network.newScratch());

        assertEquals(h, state[0], TOLERANCE, "h");
        assertEquals(headWeight * h + headBias, prediction, TOLERANCE, "output");
    }
}
