import CVectorMath

/// Logs and exponentials of many values at once: glibc's vector versions (libmvec, four values per
/// instruction, within 4 ulp) where the CPU has AVX2 and FMA, the scalar functions elsewhere. The
/// likelihood loops over a million customers spend most of their time in `log` and `exp`.
public enum VectorMath {
    /// y[i] = log(x[i]) for i < count (x and y must not overlap).
    @inline(__always)
    public static func log(_ x: UnsafePointer<Double>, into y: UnsafeMutablePointer<Double>, count: Int) {
        klant_vector_log(x, y, count)
    }

    /// y[i] = exp(x[i]) for i < count (x and y must not overlap).
    @inline(__always)
    public static func exp(_ x: UnsafePointer<Double>, into y: UnsafeMutablePointer<Double>, count: Int) {
        klant_vector_exp(x, y, count)
    }
}
