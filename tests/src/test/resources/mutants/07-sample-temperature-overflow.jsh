// exercise: 07-sample
// expect: FAILED
// Exponentiates logits / τ without subtracting the largest logit first: exp(500 / 0.7) overflows a
// double to Infinity, Infinity / Infinity is NaN, and no cumulative probability ever exceeds u.
int sample(float[] logits, double temperature, Random random) {
    int best = 0;
    for (int i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
    if (temperature <= 0) return best;
    double[] p = new double[logits.length];
    double sum = 0;
    for (int i = 0; i < logits.length; i++) {
        p[i] = Math.exp(logits[i] / temperature);
        sum += p[i];
    }
    double u = random.nextDouble(), cumulative = 0;
    for (int i = 0; i < p.length; i++) {
        cumulative += p[i] / sum;
        if (cumulative > u) return i;
    }
    return p.length - 1;
}
