import CustomerData
import Foundation
import Models
import Warehouse

/// Runs `body`, turning library errors into Klant's exit codes: bad input (file, line, column)
/// and invalid data are 2, a fit that did not converge or a file that cannot be written are 1; database
/// errors are 2 when the command can fix them (URL, names, query) and 1 otherwise (connection, password).
func withInputErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as InputError {
        throw KlantFailure(message: error.description, exitCode: 2)
    } catch let error as ModelError {
        switch error {
        case .invalidData, .invalidParameters, .modelFile:
            throw KlantFailure(message: error.description, exitCode: 2)
        case .notConverged:
            throw KlantFailure(message: error.description, exitCode: 1)
        }
    } catch let error as FileError {
        throw KlantFailure(message: error.description, exitCode: 1)
    } catch let error as WarehouseError {
        throw KlantFailure(message: error.description, exitCode: error.isBadInput ? 2 : 1)
    }
}

/// Refuses (exit 2, before anything is read) an output path that is one of the inputs or another output.
/// Each pair is (option, path); nil paths are ignored.
func checkOutputs(_ outputs: [(String, String?)], inputs: [(String, String?)]) throws {
    try OutputPaths.checkDistinct(outputs: outputs.compactMap { o in o.1.map { OutputPaths.Named(o.0, $0) } },
                                  inputs: inputs.compactMap { i in i.1.map { OutputPaths.Named(i.0, $0) } })
}

/// The URL of an input path; `-` (standard input) stays `-` instead of becoming a file in the current directory.
func inputURL(_ path: String) -> URL { path == "-" ? URL(string: "-")! : URL(fileURLWithPath: path) }
