/// Special functions in log space for the likelihoods (log-gamma, digamma, log-beta, 2F1).
public enum SpecialFunctions {}
