import PolytokenCLI

/// The session behind a `pt_trainer` pointer.
private func session(_ pointer: OpaquePointer?) throws -> TrainingSession {
    guard let pointer else { throw BoundaryError(description: "the trainer is NULL") }
    return Unmanaged<TrainingSession>.fromOpaque(UnsafeRawPointer(pointer)).takeUnretainedValue()
}

/// A training session configured by `polytoken train`'s options, given as a JSON array. See polytoken.h.
@_cdecl("pt_trainer_new")
public func pt_trainer_new(_ json: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<OpaquePointer?>?,
                           _ message: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    do {
        guard let out else { throw BoundaryError(description: "the result is NULL") }
        out.pointee = OpaquePointer(Unmanaged.passRetained(try TrainingSession(arguments: arguments(json))).toOpaque())
        return 0
    } catch {
        return fail(error, message)
    }
}

/// Counts the words of a batch of texts, each one document. See polytoken.h.
@_cdecl("pt_trainer_add")
public func pt_trainer_add(_ pointer: OpaquePointer?, _ data: UnsafePointer<CChar>?, _ offsets: UnsafePointer<Int64>?,
                           _ count: Int, _ message: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    do {
        try session(pointer).add(try texts(data, offsets, count))
        return 0
    } catch {
        return fail(error, message)
    }
}

/// Trains on everything added; sets the tokenizer.json text. See polytoken.h.
@_cdecl("pt_trainer_finish")
public func pt_trainer_finish(_ pointer: OpaquePointer?, _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
                              _ message: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    do {
        out?.pointee = cString(try session(pointer).finish())
        return 0
    } catch {
        return fail(error, message)
    }
}

/// Makes a running or later add or finish fail. Safe from any thread. See polytoken.h.
@_cdecl("pt_trainer_cancel")
public func pt_trainer_cancel(_ pointer: OpaquePointer?) {
    try? session(pointer).cancel()
}

/// Releases a training session. See polytoken.h.
@_cdecl("pt_trainer_free")
public func pt_trainer_free(_ pointer: OpaquePointer?) {
    guard let pointer else { return }
    Unmanaged<TrainingSession>.fromOpaque(UnsafeRawPointer(pointer)).release()
}
