import Support

/// The kind of ``DatasetError``.
public enum DatasetProblem {}
/// A token dataset that cannot be written or read, naming the file and the field or record.
public typealias DatasetError = LocatedError<DatasetProblem>
