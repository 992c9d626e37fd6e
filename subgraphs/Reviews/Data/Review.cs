namespace Reviews.Data;

public sealed class Review
{
    public const int MinRating = 1;
    public const int MaxRating = 5;
    public const int BodyMaxLength = 2000;

    public int Id { get; set; }
    public int ProductId { get; set; }
    public int UserId { get; set; }
    public int Rating { get; set; }
    public string Body { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>
/// Reviews' own record of who bought what (fed by OrderConfirmed events), so the purchase check in
/// addReview never calls the orders subgraph.
/// </summary>
public sealed class Purchase
{
    public int UserId { get; set; }
    public int ProductId { get; set; }
    public DateTimeOffset PurchasedAt { get; set; }
}
