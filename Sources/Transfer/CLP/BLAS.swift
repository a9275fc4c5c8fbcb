import CBLAS

/// OpenBLAS, loaded the first time a matrix product is needed (see `pt_blas_open`): commands
/// that never multiply matrices never start its threads.
enum BLAS {
    /// Loads OpenBLAS, or throws naming what the system lacks.
    static func require() throws {
        var message = [CChar](repeating: 0, count: 512)
        guard pt_blas_open(&message, Int32(message.count)) == 0 else { return }
        let reason = message.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        throw TransferError.unsupported(
            "CLP and OMP multiply matrices with OpenBLAS, which could not be loaded (\(reason)); install it (Debian: apt-get install libopenblas0)")
    }
}
