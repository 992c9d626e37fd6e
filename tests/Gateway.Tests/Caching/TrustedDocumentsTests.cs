using Federation.Gateway.Caching;

namespace Federation.Gateway.Tests.Caching;

/// <summary>Trusted document manifests as graphql-codegen and Apollo's manifest generator write them.</summary>
public sealed class TrustedDocumentsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("trusted-documents-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Load_Should_ReadBothFormats_When_GivenCodegenAndApolloManifests()
    {
        // arrange
        const string codegenQuery = "query Me { me { id } }";
        const string apolloQuery = "query Top { topProducts { upc } }";
        var codegen = Write("codegen.json", $$"""{ "{{TrustedDocuments.Hash(codegenQuery)}}": "{{codegenQuery}}" }""");
        var apollo = Write("apollo.json", $$"""
            { "format": "apollo-persisted-query-manifest", "version": 1,
              "operations": [{ "id": "{{TrustedDocuments.Hash(apolloQuery)}}", "name": "Top", "type": "query", "body": "{{apolloQuery}}" }] }
            """);

        // act
        var documents = TrustedDocuments.Load([codegen, apollo]);

        // assert
        Assert.Equal(2, documents.Count);
        Assert.True(documents.TryGet(TrustedDocuments.Hash(apolloQuery).ToUpperInvariant(), out var text));
        Assert.Equal(apolloQuery, text);
        Assert.True(documents.ContainsText(TrustedDocuments.Hash(codegenQuery)));
        Assert.False(documents.ContainsText(TrustedDocuments.Hash("{ me { id } }")));
    }

    [Theory]
    [InlineData("[]", "expected a JSON object")]
    [InlineData("""{ "abc": 1 }""", "\"abc\" must be a non-empty string")]
    [InlineData("""{ "format": "other", "operations": [] }""", "apollo-persisted-query-manifest")]
    [InlineData("""{ "format": "apollo-persisted-query-manifest", "operations": [{ "id": "a" }] }""", "operations[].body")]
    [InlineData("not json", "manifest")]
    public void Load_Should_NameTheFileAndTheProblem_When_ManifestIsMalformed(string json, string expected)
    {
        // arrange
        var path = Write("bad.json", json);

        // act
        var error = Assert.Throws<InvalidDataException>(() => TrustedDocuments.Load([path]));

        // assert
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_Should_Refuse_When_OneIdNamesTwoDocuments()
    {
        // act
        var error = Assert.Throws<InvalidDataException>(() => new TrustedDocuments([new("a", "{ me { id } }"), new("a", "{ me { name } }")]));

        // assert
        Assert.Contains("'a'", error.Message, StringComparison.Ordinal);
    }

    private string Write(string name, string json)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, json);
        return path;
    }
}
