using Federation.Gateway.Transport;

namespace Federation.Gateway.Tests.Transport;

public sealed class SubgraphResponseTests
{
    [Theory]
    [InlineData("""{"data":null,"errors":[{"message":"boom"}]}""", """{"data":null,"errors":[{"message":"boom"}]}""")]
    [InlineData("""{"errors":[{"message":"refused"}]}""", """{"errors":[{"message":"refused"}]}""")]
    [InlineData("""{"data":{"a":1}}""", """{"data":{"a":1}}""")]
    [InlineData("""{"data":null}""", """{"data":null}""")]
    public void ToJsonObject_Should_KeepWhetherDataWasThere_When_TheAnswerIsRead(string answer, string expected)
    {
        // arrange
        var bytes = System.Text.Encoding.UTF8.GetBytes(answer);

        // act
        var json = SubgraphResponse.Parse(bytes, bytes.Length)!.Clone().ToJsonObject();

        // assert
        Assert.Equal(expected, json.ToJsonString());
    }
}
