using System.Text;
using System.Text.Json.Nodes;

namespace Federation.Gateway.Tests.Fuzzing;

/// <summary>A value in the document: printed GraphQL literal text, or a reference to one of the operation's variables.</summary>
internal sealed record FuzzValue(string? Literal, string? Variable)
{
    public static FuzzValue Of(string literal) => new(literal, null);

    public static FuzzValue Var(string name) => new(null, name);

    public override string ToString() => Literal ?? "$" + Variable;
}

/// <summary>A variable definition; <see cref="Value"/> is sent only when <see cref="Provided"/> (else the default or absence applies).</summary>
internal sealed record FuzzVariable(string Name, string Type, JsonNode? Value, bool Provided, string? Default);

/// <summary>@skip(if:) or @include(if:).</summary>
internal sealed record FuzzCondition(bool Skip, FuzzValue If)
{
    public override string ToString() => $"@{(Skip ? "skip" : "include")}(if: {If})";
}

internal abstract class FuzzSelection
{
    public FuzzCondition? Condition { get; set; }

    public abstract FuzzSelection Clone();
}

internal sealed class FuzzFieldSelection(string name) : FuzzSelection
{
    public string Name { get; } = name;

    public string? Alias { get; set; }

    public List<(string Name, FuzzValue Value)> Arguments { get; init; } = [];

    public List<FuzzSelection>? Children { get; init; }

    public override FuzzSelection Clone() => new FuzzFieldSelection(Name)
    {
        Alias = Alias,
        Condition = Condition,
        Arguments = [.. Arguments],
        Children = Children?.Select(c => c.Clone()).ToList(),
    };
}

internal sealed class FuzzInlineFragment(string? typeCondition) : FuzzSelection
{
    public string? TypeCondition { get; } = typeCondition;

    public List<FuzzSelection> Children { get; init; } = [];

    public override FuzzSelection Clone() => new FuzzInlineFragment(TypeCondition) { Condition = Condition, Children = [.. Children.Select(c => c.Clone())] };
}

internal sealed class FuzzSpread(string fragment) : FuzzSelection
{
    public string Fragment { get; } = fragment;

    public override FuzzSelection Clone() => new FuzzSpread(Fragment) { Condition = Condition };
}

internal sealed record FuzzFragment(string Name, string TypeCondition, List<FuzzSelection> Children);

/// <summary>A generated query: printable, and shrinkable one edit at a time.</summary>
internal sealed class FuzzOperation
{
    public string? Name { get; init; }

    public List<FuzzSelection> Selections { get; init; } = [];

    public List<FuzzFragment> Fragments { get; init; } = [];

    public List<FuzzVariable> Variables { get; init; } = [];

    /// <summary>The document and the variables it uses; unused fragments and variables are left out (both would be invalid).</summary>
    public (string Query, JsonObject? Variables) Print()
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        var spreads = new List<string>();
        var body = new StringBuilder();
        PrintSet(body, Selections, used, spreads);
        var fragments = new StringBuilder();
        for (var i = 0; i < spreads.Count; i++)
        {
            var fragment = Fragments.First(f => f.Name == spreads[i]);
            fragments.Append(" fragment ").Append(fragment.Name).Append(" on ").Append(fragment.TypeCondition).Append(' ');
            PrintSet(fragments, fragment.Children, used, spreads);
        }

        var declared = Variables.Where(v => used.Contains(v.Name)).ToList();
        var sb = new StringBuilder();
        if (Name is not null || declared.Count > 0)
        {
            sb.Append("query");
            if (Name is not null)
            {
                sb.Append(' ').Append(Name);
            }

            if (declared.Count > 0)
            {
                sb.Append('(').AppendJoin(", ", declared.Select(v => $"${v.Name}: {v.Type}" + (v.Default is null ? string.Empty : " = " + v.Default))).Append(')');
            }

            sb.Append(' ');
        }

        sb.Append(body).Append(fragments);
        var values = new JsonObject();
        foreach (var v in declared.Where(v => v.Provided))
        {
            values[v.Name] = v.Value?.DeepClone();
        }

        return (sb.ToString(), values.Count == 0 ? null : values);
    }

    public FuzzOperation Clone() => new()
    {
        Name = Name,
        Selections = [.. Selections.Select(s => s.Clone())],
        Fragments = [.. Fragments.Select(f => f with { Children = [.. f.Children.Select(c => c.Clone())] })],
        Variables = Variables,
    };

    /// <summary>Every operation one edit smaller: one selection, argument, directive or alias removed.</summary>
    public IEnumerable<FuzzOperation> Reductions()
    {
        for (var edit = 0; ; edit++)
        {
            var copy = Clone();
            var remaining = edit;
            if (!copy.Edit(ref remaining))
            {
                yield break;
            }

            yield return copy;
        }
    }

    private bool Edit(ref int remaining)
    {
        if (EditSet(Selections, ref remaining))
        {
            return true;
        }

        foreach (var fragment in Fragments)
        {
            if (EditSet(fragment.Children, ref remaining))
            {
                return true;
            }
        }

        return false;
    }

    private static bool EditSet(List<FuzzSelection> set, ref int remaining)
    {
        for (var i = 0; i < set.Count; i++)
        {
            if (remaining-- == 0)
            {
                set.RemoveAt(i);
                return true;
            }
        }

        foreach (var selection in set)
        {
            if (selection.Condition is not null && remaining-- == 0)
            {
                selection.Condition = null;
                return true;
            }

            switch (selection)
            {
                case FuzzFieldSelection field:
                    if (field.Alias is not null && remaining-- == 0)
                    {
                        field.Alias = null;
                        return true;
                    }

                    for (var a = 0; a < field.Arguments.Count; a++)
                    {
                        if (remaining-- == 0)
                        {
                            field.Arguments.RemoveAt(a);
                            return true;
                        }
                    }

                    if (field.Children is not null && EditSet(field.Children, ref remaining))
                    {
                        return true;
                    }

                    break;
                case FuzzInlineFragment inline when EditSet(inline.Children, ref remaining):
                    return true;
            }
        }

        return false;
    }

    private static void PrintSet(StringBuilder sb, List<FuzzSelection> set, HashSet<string> variables, List<string> spreads)
    {
        sb.Append("{ ");
        foreach (var selection in set)
        {
            switch (selection)
            {
                case FuzzFieldSelection field:
                    if (field.Alias is not null)
                    {
                        sb.Append(field.Alias).Append(": ");
                    }

                    sb.Append(field.Name);
                    if (field.Arguments.Count > 0)
                    {
                        sb.Append('(').AppendJoin(", ", field.Arguments.Select(a => a.Name + ": " + a.Value)).Append(')');
                        foreach (var (_, value) in field.Arguments)
                        {
                            Use(value, variables);
                        }
                    }

                    Directive(sb, selection.Condition, variables);
                    if (field.Children is not null)
                    {
                        sb.Append(' ');
                        PrintSet(sb, field.Children, variables, spreads);
                    }

                    break;
                case FuzzInlineFragment inline:
                    sb.Append("...");
                    if (inline.TypeCondition is not null)
                    {
                        sb.Append(" on ").Append(inline.TypeCondition);
                    }

                    Directive(sb, selection.Condition, variables);
                    sb.Append(' ');
                    PrintSet(sb, inline.Children, variables, spreads);
                    break;
                case FuzzSpread spread:
                    sb.Append("...").Append(spread.Fragment);
                    Directive(sb, selection.Condition, variables);
                    if (!spreads.Contains(spread.Fragment))
                    {
                        spreads.Add(spread.Fragment);
                    }

                    break;
            }

            sb.Append(' ');
        }

        sb.Append('}');
    }

    private static void Directive(StringBuilder sb, FuzzCondition? condition, HashSet<string> variables)
    {
        if (condition is not null)
        {
            sb.Append(' ').Append(condition);
            Use(condition.If, variables);
        }
    }

    private static void Use(FuzzValue value, HashSet<string> variables)
    {
        if (value.Variable is not null)
        {
            variables.Add(value.Variable);
        }
    }
}
