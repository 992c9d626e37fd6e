using System.Text;
using System.Text.Json;
using Federation.Gateway.Execution;

namespace Federation.Gateway.Tests.Execution;

public sealed class ResultTreeTests
{
    [Fact]
    public void Parse_Should_WriteBackTheSameJson_When_ObjectsAndListsNest()
    {
        // arrange
        const string json = """{"a":[{"b":1,"c":[[],[{}],[1,"x",null,true]]},{"d":{"e":{"f":[false]}}}],"g":"h","i":{},"j":[]}""";

        // act
        var node = ResultReader.Parse(Encoding.UTF8.GetBytes(json));

        // assert
        Assert.Equal(json, node!.ToJsonString());
    }

    [Fact]
    public void Parse_Should_KeepTheFirstPlaceAndTheLastValue_When_ANameRepeats()
    {
        // act
        var node = (ResultObject)ResultReader.Parse("""{"a":1,"b":{"c":2,"c":[3]},"a":4}"""u8.ToArray())!;

        // assert
        Assert.Equal("""{"a":4,"b":{"c":[3]}}""", node.ToJsonString());
        Assert.Equal(2, node.Count);
    }

    [Fact]
    public void Parse_Should_ReadTheNextAnswerWhole_When_AnEarlierOneBrokeOffInsideNestedValues()
    {
        // arrange
        Assert.ThrowsAny<JsonException>(() => ResultReader.Parse("""{"a":{"b":[1,{"c":2"""u8.ToArray()));

        // act
        var node = ResultReader.Parse("""{"x":[1,2],"y":{"z":3}}"""u8.ToArray());

        // assert
        Assert.Equal("""{"x":[1,2],"y":{"z":3}}""", node!.ToJsonString());
    }

    [Fact]
    public void Indexer_Should_FindAName_When_TheKeyIsAnotherInstanceOfIt()
    {
        // arrange
        var node = (ResultObject)ResultReader.Parse("""{"name":1,"upc":2,"sku":3}"""u8.ToArray())!;
        var key = new string("sku".AsSpan());

        // act
        var value = node[key];

        // assert
        Assert.Equal("3", value!.ToJsonString());
        Assert.Null(node[new string("ups".AsSpan())]);
    }

    [Fact]
    public void DeepMerge_Should_AddMissingNamesAndMergeSharedOnes_When_BothHaveObjects()
    {
        // arrange
        var target = (ResultObject)ResultReader.Parse("""{"id":"1","product":{"upc":"1"},"tags":[{"a":1},{"a":2}]}"""u8.ToArray())!;
        var source = (ResultObject)ResultReader.Parse("""{"name":"n","product":{"name":"p","upc":"1"},"tags":[{"b":1},{"b":2}],"price":5}"""u8.ToArray())!;

        // act
        ResultState.DeepMerge(target, source);

        // assert
        Assert.Equal(
            """{"id":"1","product":{"upc":"1","name":"p"},"tags":[{"a":1,"b":1},{"a":2,"b":2}],"name":"n","price":5}""",
            target.ToJsonString());
    }
}
