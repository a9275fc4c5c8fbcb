import Glibc

/// The message of the current `errno`, as `strerror` gives it.
public func systemErrorMessage(_ code: Int32 = errno) -> String {
    String(cString: strerror(code))
}
