using Federation.Subgraph.GraphQL;
using Federation.Subgraph.Security;
using GraphQL.Federation;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using Payments.Data;

namespace Payments.Types;

public sealed class PaymentType : ObjectGraphType<Payment>
{
    public PaymentType()
    {
        Name = "Payment";
        Description = "A charge for an order. Owned by payments.";
        this.Authenticated();
        this.Key("id");
        Field(p => p.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field<NonNullGraphType<OrderType>>("order").Resolve(ctx => new EntityReference<OrderType> { Id = ctx.Source.OrderId });
        Field<NonNullGraphType<FloatGraphType>>("amount")
            .Description("The amount charged, in USD: the order total.")
            .Resolve(ctx => (double)ctx.Source.Amount);
        Field<NonNullGraphType<PaymentStatusType>>("status").Resolve(ctx => ctx.Source.Status);
        Field<NonNullGraphType<PaymentMethodType>>("method").Resolve(ctx => ctx.Source.Method);
        Field(p => p.CardBrand, nullable: true).Description("The card's brand; null for payments from before checkout took a card.");
        Field(p => p.CardLast4, nullable: true).Description("The card's last four digits, all that is kept of its number.");
        Field(p => p.DeclineReason, nullable: true).Description("Why the provider declined the payment; null when it succeeded, and for payments from before reasons were recorded.");
        Field<NonNullGraphType<DateTimeGraphType>>("createdAt").Resolve(ctx => ctx.Source.CreatedAt.UtcDateTime);
        this.ResolveReference<Payment>((ctx, reference) =>
            ctx.Owned(ctx.RequestServices!.GetRequiredService<PaymentByIdDataLoader>().Load(reference.Id), PaymentAccess.OwnerOf));
    }
}

public static class PaymentAccess
{
    /// <summary>A payment without a recorded owner has no user to match (0 is never a user id): admins only.</summary>
    public static int OwnerOf(Payment payment) => payment.UserId ?? 0;
}

public sealed class PaymentStatusType : EnumerationGraphType<PaymentStatus>
{
    public PaymentStatusType() => Name = "PaymentStatus";
}

public sealed class PaymentMethodType : EnumerationGraphType<PaymentMethod>
{
    public PaymentMethodType() => Name = "PaymentMethod";
}

/// <summary>Orders owns Order; payments adds how it was paid, found by order_id.</summary>
public sealed class OrderType : EntityReferenceType<OrderType>
{
    public OrderType() : base("Order") =>
        Field<PaymentType>("payment").Authenticated()
            .Description("The order's payment; null until payments has charged it, and for anyone but the order's owner and admins.")
            .Resolve(ctx => ctx.Owned(ctx.RequestServices!.GetRequiredService<PaymentByOrderIdDataLoader>().Load(ctx.Source.Id), PaymentAccess.OwnerOf));
}
