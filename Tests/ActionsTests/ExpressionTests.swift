import Testing
@testable import Actions

@Suite struct ExpressionTests {
    func booleans(_ source: String, _ table: RuleTable = sampleTable()) throws -> [Bool] {
        try CompiledRule(source, action: "t", field: "eligible", table: table, expected: .boolean).booleans(over: table)
    }

    func numbers(_ source: String, _ table: RuleTable = sampleTable()) throws -> [Double] {
        try CompiledRule(source, action: "t", field: "value", table: table, expected: .number).numbers(over: table)
    }

    func error(_ source: String, field: String = "eligible", expected: RuleTable.ValueType = .boolean) -> ExpressionError? {
        do {
            _ = try CompiledRule(source, action: "retention-call", field: field, table: sampleTable(), expected: expected)
            return nil
        } catch let e as ExpressionError { return e } catch { return nil }
    }

    @Test func arithmeticFollowsPrecedenceAndBrackets() throws {
        let x = try numbers("a + b * 2")
        #expect(x[0] == 21 && x[2] == 63 && x[3] == 84 && x[1].isNaN)
        #expect(try numbers("(a + 1) * 2 - -a / 2") == [4.5, 7, 9.5, 12])
        #expect(try numbers("2 * 3 + 4") == [10, 10, 10, 10])
        #expect(try numbers("1e2 / 4") == [25, 25, 25, 25])
    }

    @Test func comparisonsWithAMissingValueAreFalseWhateverTheOperator() throws {
        #expect(try booleans("b > 15") == [false, false, true, true])
        #expect(try booleans("b != 10") == [false, false, true, true])
        #expect(try booleans("not (b > 15)") == [true, true, false, false])
        #expect(try booleans("segment != 'top'") == [false, true, false, false])
    }

    @Test func andOrNotAndMembership() throws {
        #expect(try booleans("a >= 2 and segment in ['top', 'retain']") == [false, true, false, true])
        #expect(try booleans("a == 1 or segment == 'top'") == [true, false, false, true])
        #expect(try booleans("segment not in ['top']") == [false, true, false, false])
        #expect(try booleans("a in [1, 3]") == [true, false, true, false])
        #expect(try booleans("a = 2") == [false, true, false, false])
        #expect(try booleans("not a > 1 and true") == [true, false, false, false])
        #expect(try booleans("`a` < 3") == [true, true, false, false])
    }

    @Test func syntaxErrorsPointAtTheCharacter() {
        let e = error("churn > 0.4 and and clv")
        #expect(e?.position == 17)
        #expect(e?.action == "retention-call")
        #expect(error("a > ")?.position == 5)
        #expect(error("(a > 1")?.problem.contains("expected ')'") == true)
        #expect(error("segment in ['top'")?.position == 18)
        #expect(error("a > 1 # 2")?.position == 7)
        #expect(error("segment == 'top")?.position == 12)
        #expect(error("a > 1 b")?.position == 7)
        #expect(error("a not 1")?.position == 7)
    }

    @Test func typeErrorsNameTheActionFieldAndPosition() {
        let unknown = error("a > 1 and clvv > 2")
        #expect(unknown?.position == 11)
        #expect(unknown?.problem.contains("unknown column clvv") == true)
        #expect(unknown?.remedy.contains("a, b, segment") == true)
        #expect(unknown?.description.contains("action retention-call, eligible at character 11") == true)
        #expect(error("segment > 2")?.position == 9)
        #expect(error("segment == 2")?.position == 9)
        #expect(error("a + segment > 1")?.position == 3)
        #expect(error("a and b")?.position == 3)
        #expect(error("segment in ['top', 2]")?.position == 20)
        #expect(error("a in ['x']")?.position == 7)
        #expect(error("-segment > 1")?.position == 1)
        #expect(error("a + 1")?.problem.contains("needs a boolean") == true)
        #expect(error("a > 1", field: "value", expected: .number)?.problem.contains("needs a number") == true)
    }

    @Test func columnsListsEachColumnOnceInOrder() throws {
        let e = try ExpressionParser.parse("b > 1 and (a + b) * 2 > 3 or segment in ['x']", action: "t", field: "eligible")
        #expect(e.columns == ["b", "a", "segment"])
    }
}
