import CSystemCalls
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Large zero-filled buffers for the hash tables, from anonymous `mmap` with transparent huge pages
/// requested: the tables are probed at random, and 2 MB pages avoid most TLB misses.
enum HugeBuffer {
    static func allocate<T>(_ type: T.Type, count: Int) -> UnsafeMutablePointer<T> {
        let bytes = max(1, count * MemoryLayout<T>.stride)
        guard let raw = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), raw != MAP_FAILED else {
            fatalError("out of memory allocating \(bytes) bytes")
        }
        #if os(Linux)
        if bytes >= 1 << 21 { _ = madvise(raw, bytes, Int32(MADV_HUGEPAGE)) }
        #endif
        return raw.bindMemory(to: T.self, capacity: count)
    }

    /// The buffer grown from `count` to `newCount` elements, contents kept (the new ones zero).
    /// On Linux the pages are moved, not copied (`mremap`): a table that doubles as it fills
    /// touches its memory once instead of once per doubling, and on a VM where zeroing a fresh page
    /// is dear that was a fifth of a 10M-row summary's CPU time.
    static func grow<T>(_ pointer: UnsafeMutablePointer<T>, count: Int, to newCount: Int) -> UnsafeMutablePointer<T> {
        let oldBytes = max(1, count * MemoryLayout<T>.stride), newBytes = max(1, newCount * MemoryLayout<T>.stride)
        if let moved = klant_grow_mapping(UnsafeMutableRawPointer(pointer), oldBytes, newBytes) {
            return moved.bindMemory(to: T.self, capacity: newCount)
        }
        let bigger = allocate(T.self, count: newCount)
        bigger.update(from: pointer, count: count)
        free(pointer, count: count)
        return bigger
    }

    static func free<T>(_ pointer: UnsafeMutablePointer<T>, count: Int) {
        munmap(UnsafeMutableRawPointer(pointer), max(1, count * MemoryLayout<T>.stride))
    }
}
