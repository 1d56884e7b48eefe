"""The Flask query service (``lscp-kg serve``)."""
