"""Incoming calls from the telephone system: the app's listeners (local socket, optional HTTP
on 127.0.0.1) and routing a call to the signed-in user's intake form."""
