namespace Reviews.Data;

public static class ReviewsDatabase
{
    public const string SubgraphName = "reviews";
    public const string ConnectionName = "Reviews";
}
