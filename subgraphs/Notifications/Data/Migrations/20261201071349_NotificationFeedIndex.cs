using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Notifications.Data.Migrations
{
    /// <inheritdoc />
    public partial class NotificationFeedIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_notifications_created_at_id",
                table: "notifications",
                columns: new[] { "created_at", "id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_notifications_created_at_id",
                table: "notifications");
        }
    }
}
