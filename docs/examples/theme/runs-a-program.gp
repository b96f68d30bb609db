# a theme that would run a program: refused at its line
theme_width = 960
system("id > PWNED")
