# Routines (the visitor's routine builder) arrive with their own issue.
