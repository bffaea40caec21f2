"""Small widgets of KIM Desk."""
