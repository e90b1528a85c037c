// exercise: 07-sample
// expect: FAILED
// Multiplies the logits by the temperature instead of dividing: τ < 1 flattens instead of sharpening.
int sample(float[] logits, double temperature, Random random) {
    int best = 0;
    for (int i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
    if (temperature <= 0) return best;
    double[] p = new double[logits.length];
    double sum = 0;
    for (int i = 0; i < logits.length; i++) {
        p[i] = Math.exp((logits[i] - logits[best]) * temperature);
        sum += p[i];
    }
    double u = random.nextDouble(), cumulative = 0;
    for (int i = 0; i < p.length; i++) {
        cumulative += p[i] / sum;
        if (cumulative > u) return i;
    }
    return p.length - 1;
}
