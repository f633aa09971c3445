"""Writing accounts: a user with the keys that keep usernames and display names unique."""

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction

from quiz.identity import name_key
from quiz.models import Profile, UsernameKey


def username_key_claim(*, user: AbstractBaseUser) -> UsernameKey:
    """Record the user's username key; IntegrityError if another user holds it in any case."""
    return UsernameKey.objects.create(key=name_key(user.get_username()), user=user)


def profile_create(*, user: AbstractBaseUser, display_name: str) -> Profile:
    """Give the user a display name; IntegrityError if another profile's reads the same."""
    return Profile.objects.create(
        user=user, display_name=display_name, display_name_key=name_key(display_name)
    )


def profile_rename(*, profile: Profile, display_name: str) -> Profile:
    """Change a display name and its key together."""
    profile.display_name = display_name
    profile.display_name_key = name_key(display_name)
    profile.save(update_fields=["display_name", "display_name_key"])
    return profile


def user_signup(*, username: str, password: str, display_name: str) -> AbstractBaseUser:
    """Create a user, their username key and the profile the leaderboard shows, all or none."""
    user_model = get_user_model()
    user = user_model(username=user_model.normalize_username(username))
    # Hashing takes a good part of a second; done before the transaction, so that SQLite's write
    # lock is held for the inserts only and twenty signups at once don't queue past its timeout.
    user.set_password(password)
    with transaction.atomic():
        user.save()
        username_key_claim(user=user)
        profile_create(user=user, display_name=display_name)
    return user
