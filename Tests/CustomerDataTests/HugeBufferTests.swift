import Testing
@testable import CustomerData

/// The hash tables' buffers.
@Suite struct HugeBufferTests {
    @Test func growingKeepsTheContentsAndZeroesTheNewPart() {
        // 3 MB (past a huge page) doubled twice, as a customer table grows while it fills.
        var count = 3 << 17
        var buffer = HugeBuffer.allocate(UInt64.self, count: count)
        for i in 0..<count { buffer[i] = UInt64(i) &* 0x9E37_79B9_7F4A_7C15 }
        for _ in 0..<2 {
            buffer = HugeBuffer.grow(buffer, count: count, to: count * 2)
            #expect((0..<count).allSatisfy { buffer[$0] == UInt64($0) &* 0x9E37_79B9_7F4A_7C15 })
            #expect((count..<(count * 2)).allSatisfy { buffer[$0] == 0 })
            for i in count..<(count * 2) { buffer[i] = UInt64(i) &* 0x9E37_79B9_7F4A_7C15 }
            count *= 2
        }
        HugeBuffer.free(buffer, count: count)
    }

    @Test func aCustomerTableThatOutgrowsItsFirstGuessKeepsEveryCustomer() {
        // 4,096 expected, 50,000 arriving: the entries grow (moved, not copied) and the slots rehash.
        let index = CustomerIndex(expectedCustomers: 4_096)
        let ids = (0..<50_000).map { "customer-\($0)" + String(repeating: "x", count: $0 % 30) }   // some longer than 24 bytes
        for id in ids {
            var bytes = Array(id.utf8)
            bytes.withUnsafeMutableBufferPointer { b in
                _ = index.intern(CustomerKey(b.baseAddress!, b.count), initial: CustomerAggregate(day: 1, amount: 1, calibrationEnd: 10))
            }
        }
        #expect(index.count == ids.count)
        #expect((0..<ids.count).allSatisfy { index.id($0) == ids[$0] })
    }
}
