"""kim-district: the district's service that takes in the desks' anonymised reports."""
